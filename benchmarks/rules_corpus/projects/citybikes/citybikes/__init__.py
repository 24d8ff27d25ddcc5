"""citybikes: stations, trips, fares, usage and the monthly report of a bike-share operator."""
