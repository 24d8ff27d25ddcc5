"""Text rendering: report cards, the assignment table and the class summary."""

from .stats import histogram, percentile_rank

RULE = "-"


def format_percent(percent, digits=1):
    if percent is None:
        return "--"
    return f"{percent:.{digits}f}%"


def format_points(points):
    return f"{points:g}" if points is not None else "-"


def _status(book, score, assignment):
    if score is None:
        return "no record"
    if score.excused:
        return "excused"
    if score.points is None:
        return "missing"
    text = f"{format_points(score.points)}/{format_points(assignment.points)}"
    late = book.late_policy.days_late(assignment.due, score.submitted)
    if late:
        text += f" ({late}d late)"
    return text


def _assignment_line(book, student_id, assignment):
    score = book.score_for(student_id, assignment.assignment_id)
    stats = book.assignment_stats(assignment.assignment_id)
    percent = book.adjusted_percent(score, assignment) if score is not None else None
    title = assignment.title if len(assignment.title) <= 20 else assignment.title[:19] + "~"
    return (f"  {assignment.assignment_id:<6} {title:<20} {_status(book, score, assignment):>18}"
            f" {format_percent(percent):>7}   class {format_percent(stats.mean):>7}")


def render_report_card(book, student_id, standing=None, percentile=None, width=72):
    student = book.student(student_id)
    title = f"REPORT CARD  {student.sort_name} ({student.student_id})"
    lines = [title + f"{book.name:>{max(1, width - len(title))}}", RULE * width]
    for category in book.categories:
        share = 100.0 * category.weight / book.total_weight
        percent = book.category_percent(student_id, category.name)
        head = f"{category.name} ({share:.0f}%)"
        if category.drop_lowest:
            head += f", lowest {category.drop_lowest} dropped"
        lines.append(f"{head:<{width - 8}}{format_percent(percent):>8}")
        for assignment in book.assignments_in(category.name):
            lines.append(_assignment_line(book, student_id, assignment))
    lines.append(RULE * width)
    final = standing.percent if standing is not None else book.final_percent(student_id)
    letter = book.scale.letter(final)
    summary = f"Final {format_percent(final, 2)}  {letter}  ({book.scale.points(letter):.1f})"
    if standing is not None and standing.rank is not None:
        summary += f"   rank {standing.rank}/{len(book.students)}"
    if percentile is not None:
        summary += f"   percentile {percentile:.1f}"
    lines.append(summary)
    return "\n".join(lines)


def render_class_reports(book, width=72):
    """Every student's report card, in standings order, separated by blank lines."""
    standings = book.standings()
    finals = [st.percent for st in standings if st.percent is not None]
    cards = []
    for st in standings:
        percentile = percentile_rank(st.percent, finals) if st.percent is not None else None
        cards.append(render_report_card(book, st.student_id, st, percentile, width))
    return "\n\n".join(cards)


def render_assignment_table(book):
    lines = [f"{'id':<6} {'category':<10} {'n':>4} {'mean':>7} {'median':>7} {'sd':>6}"
             f" {'low':>7} {'high':>7}"]
    for assignment in book.assignments:
        st = book.assignment_stats(assignment.assignment_id)
        sd = "--" if st.stdev is None else f"{st.stdev:.2f}"
        lines.append(f"{assignment.assignment_id:<6} {assignment.category:<10} {st.count:>4}"
                     f" {format_percent(st.mean):>7} {format_percent(st.median):>7} {sd:>6}"
                     f" {format_percent(st.low):>7} {format_percent(st.high):>7}")
    return "\n".join(lines)


def render_grade_summary(book, bar_width=30):
    standings = book.standings()
    counts = {letter: 0 for letter in book.scale.letters()}
    for st in standings:
        counts[st.letter] = counts.get(st.letter, 0) + 1
    total = sum(counts.values()) or 1
    biggest = max(counts.values(), default=0) or 1
    lines = [f"{book.name}: {len(book.students)} students"]
    for letter, count in counts.items():
        bar = "#" * round(bar_width * count / biggest)
        lines.append(f"  {letter:<2} {count:>4} {100.0 * count / total:5.1f}%  {bar}")
    finals = [st.percent for st in standings if st.percent is not None]
    if finals:
        edges = [0, 60, 70, 80, 90, 100.0001 if max(finals) <= 100 else max(finals) + 1]
        bins = histogram(finals, edges)
        lines.append("  bands " + " ".join(f"{a}+:{n}" for a, n in zip(edges, bins)))
    return "\n".join(lines)
