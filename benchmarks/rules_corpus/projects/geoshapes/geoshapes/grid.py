"""Counting survey points on a raster and smoothing the counts."""


def density_grid(points, cell, width, height):
    """grid[row][col] = number of points in that cell; points outside are ignored."""
    grid = [[0 for _ in range(width)] for _ in range(height)]
    for x, y in points:
        col = int(x // cell)
        row = int(y // cell)
        if 0 <= row < height and 0 <= col < width:
            grid[row][col] += 1
    return grid


def smooth(grid, radius=1):
    """Each cell becomes the mean of the cells within `radius` (clipped at the border)."""
    height = len(grid)
    width = len(grid[0]) if height else 0
    result = [[0.0] * width for _ in range(height)]
    for col in range(width):
        for row in range(height):
            total = 0.0
            count = 0
            for dr in range(-radius, radius + 1):
                for dc in range(-radius, radius + 1):
                    r, c = row + dr, col + dc
                    if 0 <= r < height and 0 <= c < width:
                        total += grid[r][c]
                        count += 1
            result[row][col] = total / count
    return result


def hotspots(grid, threshold):
    cells = []
    for row in range(len(grid)):
        for col in range(len(grid[row])):
            if grid[row][col] >= threshold:
                cells.append((row, col))
    return cells
