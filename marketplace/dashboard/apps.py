import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Fork of Oscar's dashboard (label `dashboard`), for the classes Oscar loads
    from `dashboard.*` modules with `get_class`: `catalogue/tables.py`."""

    name = "marketplace.dashboard"
