"""Stops: (code, x_km, y_km, service_minutes) tuples read from a 'code x y minutes' text."""


def load_stops(text):
    stops = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#")[0].strip()
        if not line:
            continue
        fields = line.split()
        if len(fields) != 4:
            raise ValueError(f"line {number}: expected 4 fields, got {len(fields)}")
        code = fields[0].upper()
        for stop in stops:
            if stop[0] == code:
                raise ValueError(f"line {number}: duplicate stop {code}")
        stops.append((code, float(fields[1]), float(fields[2]), int(fields[3])))
    return stops


def find_stop(stops, code):
    """Index of the stop with this code (case-insensitive)."""
    code = code.strip().upper()
    for i in range(len(stops)):
        if stops[i][0] == code:
            return i
    raise KeyError(code)
