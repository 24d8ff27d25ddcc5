"""Plane geometry for a site-survey tool: transforms, polygons, grids and clustering."""

from geoshapes.clustering import kmeans
from geoshapes.grid import density_grid, smooth
from geoshapes.polygons import area, centroid, contains, perimeter
from geoshapes.transforms import compose, rotation, scaling, transform_all, translation

__all__ = [
    "area",
    "centroid",
    "compose",
    "contains",
    "density_grid",
    "kmeans",
    "perimeter",
    "rotation",
    "scaling",
    "smooth",
    "transform_all",
    "translation",
]
