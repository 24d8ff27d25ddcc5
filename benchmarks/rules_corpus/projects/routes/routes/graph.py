"""Graph algorithms over a road list: each edge is a (from, to, km) tuple."""


def make_edges(roads, two_way=True):
    """Directed edges from (a, b, km) roads; a two-way road gives an edge each way."""
    edges = []
    for a, b, km in roads:
        if km < 0:
            raise ValueError(f"negative length on road {a}-{b}: {km}")
        edges.append((a, b, km))
        if two_way and a != b:
            edges.append((b, a, km))
    return edges


def nodes_of(edges):
    """Every place named by an edge, in order of first mention."""
    nodes = []
    for a, b, _ in edges:
        if a not in nodes:
            nodes.append(a)
        if b not in nodes:
            nodes.append(b)
    return nodes


def neighbours(edges, node):
    """(next place, km) for each edge leaving `node`, in edge order."""
    return [(b, km) for a, b, km in edges if a == node]


def hops_from(edges, start):
    """Breadth-first search: {place: fewest roads from start} for every reachable place."""
    hops = {start: 0}
    visited = [start]
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt, _ in neighbours(edges, node):
            if nxt not in visited:
                visited.append(nxt)
                hops[nxt] = hops[node] + 1
                queue.append(nxt)
    return hops


def shortest_paths(edges, start):
    """Dijkstra from start: (dist, prev) dicts; prev maps a place to the one before it."""
    dist = {start: 0}
    prev = {}
    done = []
    frontier = [(0, start)]
    while frontier:
        best = min(frontier)
        frontier.remove(best)
        d, node = best
        if node in done:
            continue
        done.append(node)
        for nxt, km in neighbours(edges, node):
            candidate = d + km
            if nxt not in dist or candidate < dist[nxt]:
                dist[nxt] = candidate
                prev[nxt] = node
                frontier.append((candidate, nxt))
    return dist, prev


def components(edges):
    """Groups of places that reach each other over two-way roads, each sorted; biggest first."""
    groups = []
    seen = []
    for node in nodes_of(edges):
        if node in seen:
            continue
        group = sorted(hops_from(edges, node))
        seen.extend(group)
        groups.append(group)
    groups.sort(key=lambda g: (-len(g), g[0]))
    return groups


def hubs(edges, top=5):
    """The `top` places with the most roads leaving them, as (place, degree); ties by name."""
    ranked = []
    for node in nodes_of(edges):
        ranked.append((node, len(neighbours(edges, node))))
    ranked.sort(key=lambda item: (-item[1], item[0]))
    return ranked[:top]
