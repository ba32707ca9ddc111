"""Reviews from verified buyers (issue 28 §3): the rules live in
`orders.reviews.services`."""
