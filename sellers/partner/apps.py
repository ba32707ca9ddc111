import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Fork of Oscar's partner app (label `partner`). Our change is the strategy:
    which seller's offer a buyer sees and whether it can be bought."""

    name = "sellers.partner"
