"""CSV reports for people: thousands separators, rounded milliseconds, percentages."""


def fmt_ms(value):
    return "{:,.1f}".format(float(value))


def fmt_bytes(value):
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}"
        size = size / 1024


def fmt_share(part, whole):
    if whole == 0:
        return "-"
    return "{:.1%}".format(float(part) / float(whole))


def endpoint_csv(rows):
    total = sum(row["hits"] for row in rows)
    out = "endpoint,hits,share,errors,p50,p95,max,bytes\n"
    for row in rows:
        line = ",".join(
            [
                row["endpoint"],
                str(row["hits"]),
                fmt_share(row["hits"], total),
                str(row["errors"]),
                fmt_ms(row["p50"]).replace(",", "_"),
                fmt_ms(row["p95"]).replace(",", "_"),
                fmt_ms(row["max"]).replace(",", "_"),
                fmt_bytes(row["bytes"]),
            ]
        )
        out += line + "\n"
    return out


def user_csv(sessions):
    out = "login,team,start,minutes,requests\n"
    for session in sessions:
        minutes = float(session["end"] - session["start"]) / 60.0
        out += f"{session['login']},{session['team']},{session['start']},{minutes:.2f},{session['requests']}\n"
    return out
