"""The products part of the seller panel (mounted at /panel/<seller_id>/products/).

Every view resolves the seller through `sellers.permissions.membership_for` and the
product through `selectors.product_for_seller`: another booth's seller id or
product id is a 404, never data. Changes go through `catalog.services`.
"""
