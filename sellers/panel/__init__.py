"""The seller's panel (mounted at /panel/): her booth's home, the application
wizard, members, payout, holiday mode, notifications, and her product pages.

Every view that names a seller resolves it through `PanelMixin`
(`sellers.permissions.membership_for`), so another booth's seller id or product
id is a 404, never data. Changes go through `sellers.services` and
`catalog.services`; this package holds no business rule.
"""
