"""Daily operations report: load factors, late sailings and revenue per route."""


class DailyReport:
    def __init__(self, timetable, day, late_threshold_minutes=10):
        self.timetable = timetable
        self.day = day
        self.late_threshold_minutes = late_threshold_minutes

    @property
    def sailings(self):
        return self.timetable.sailings_on(self.day)

    def load_factors(self):
        """(sailing id, passenger load, vehicle deck load) in departure order."""
        return [(s.sailing_id, round(s.load_factor, 3), round(s.vehicle_load_factor, 3))
                for s in self.sailings]

    def late_sailings(self):
        """Sailings delayed by more than the threshold, worst first."""
        late = [(s.sailing_id, s.delay_minutes) for s in self.sailings
                if s.delay_minutes > self.late_threshold_minutes]
        return sorted(late, key=lambda item: (-item[1], item[0]))

    def revenue_by_route(self):
        """Revenue in cents per route code for routes sailing that day.
        Cancelled bookings contribute their cancellation fee."""
        revenue = {}
        for route in self.timetable.routes:
            total = 0
            sailed = False
            for sailing in self.sailings:
                if sailing.route is not route:
                    continue
                sailed = True
                for booking in self.timetable.bookings:
                    if booking.sailing is sailing:
                        total += booking.revenue_cents
            if sailed:
                revenue[route.code] = total
        return dict(sorted(revenue.items()))

    def busiest_sailing(self):
        """Sailing with the highest passenger load factor (earliest wins ties)."""
        best = None
        for sailing in self.sailings:
            if best is None or sailing.load_factor > best.load_factor:
                best = sailing
        return best

    def summary(self):
        sailings = self.sailings
        revenue = self.revenue_by_route()
        loads = [s.load_factor for s in sailings]
        busiest = self.busiest_sailing()
        return {
            "day": self.day.isoformat(),
            "sailings": len(sailings),
            "passengers": sum(s.passengers for s in sailings),
            "vehicles": sum(1 for s in sailings for b in s.bookings if b.vehicle is not None),
            "revenue_cents": sum(revenue.values()),
            "mean_load": round(sum(loads) / len(loads), 3) if loads else 0.0,
            "late": len(self.late_sailings()),
            "busiest": busiest.sailing_id if busiest else None,
        }

    def render(self):
        info = self.summary()
        lines = [f"Operations report {info['day']}",
                 f"  sailings {info['sailings']}, passengers {info['passengers']}, "
                 f"vehicles {info['vehicles']}, late {info['late']}"]
        for code, cents in self.revenue_by_route().items():
            lines.append(f"  {code:<8} {cents / 100:>12.2f}")
        for sailing_id, minutes in self.late_sailings():
            lines.append(f"  LATE {sailing_id} +{minutes} min")
        return "\n".join(lines)
