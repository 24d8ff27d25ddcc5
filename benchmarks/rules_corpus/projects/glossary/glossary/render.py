"""Plain-text and Markdown output: the alphabetical index and the glossary itself."""

from .textutil import collapse_pages, index_letter, slugify, sort_key


def page_references(index, term):
    """Page references of ``term``, e.g. "doc 1-3, 7; other 2", documents in order."""
    parts = []
    for doc, pages in index.pages_for(term).items():
        parts.append(f"{doc} {collapse_pages(pages)}")
    return "; ".join(parts)


def _entries(index, terms):
    entries = []
    for term in terms:
        display = index.display_form(term)
        entries.append((sort_key(display), display, term))
    entries.sort()
    return entries


def render_index(index, terms, links=None, title="Index", width=72):
    """The alphabetical index: entries grouped under their letter, with dotted leaders
    to the page references and a "see also" line for cross-references."""
    lines = [title, "=" * len(title)]
    current = None
    for _key, display, term in _entries(index, terms):
        letter = index_letter(display)
        if letter != current:
            lines.append("")
            lines.append(letter)
            current = letter
        refs = page_references(index, term)
        dots = "." * max(2, width - len(display) - len(refs) - 2)
        lines.append(f"{display} {dots} {refs}")
        related = links.get(term) if links else None
        if related:
            names = ", ".join(index.display_form(other) for other in related)
            lines.append(f"    see also: {names}")
    return "\n".join(lines) + "\n"


def render_glossary(index, definitions, links=None, title="Glossary"):
    """A Markdown glossary: one section per defined term with its first-use sentence."""
    text = f"# {title}\n"
    for _key, display, term in _entries(index, definitions):
        definition = definitions[term]
        text += f"\n## {display} {{#{slugify(display)}}}\n\n"
        text += f"> {definition.sentence}\n\n"
        text += f"*First used in {definition.document}, page {definition.page}.*"
        text += f" Used {index.term_frequency(term)} times"
        text += f" in {index.document_frequency(term)} documents.\n"
        related = links.get(term) if links else None
        if related:
            refs = []
            for other in related:
                other_display = index.display_form(other)
                refs.append(f"[{other_display}](#{slugify(other_display)})")
            text += "\nSee also: " + ", ".join(refs) + ".\n"
    return text


def render_summary(index, picked):
    stats = index.stats()
    return (
        f"{stats['documents']} documents, {stats['pages']} pages, "
        f"{stats['terms']} terms ({stats['phrases']} phrases), "
        f"{len(picked)} glossary entries"
    )
