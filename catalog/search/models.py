"""The database backend's copy of the search documents.

One row per live product, written by the same indexing code as the Elasticsearch
documents (`catalog.search.indexing`) from the same `documents.product_document`,
so it holds only public fields, already normalised. On PostgreSQL `vector` is
the weighted tsvector (title A, category B, booth C, description and materials
D) behind a GIN index, and `SearchWord` (every indexed word) carries a trigram
index for typo expansion and "did you mean" (migration 0001).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    product = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=300)
    title_words = models.TextField()
    category_words = models.TextField(blank=True)
    booth_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    title_prefixes = models.TextField(blank=True)  # " a ab abc "
    category_paths = models.TextField(blank=True)  # " 0001 00010002 "
    # The first category's path at each level, for the category facet's counts.
    category_l1 = models.CharField(max_length=4, blank=True, db_index=True)
    category_l2 = models.CharField(max_length=8, blank=True)
    category_l3 = models.CharField(max_length=12, blank=True)
    district = models.PositiveSmallIntegerField(null=True, db_index=True)
    province = models.CharField(max_length=64, blank=True)  # ISO 3166-2:IR code
    ships_to = models.CharField(max_length=32, blank=True)  # " tehran beyond "
    price = models.BigIntegerField(null=True, db_index=True)  # rials
    fulfilment = models.CharField(max_length=16)
    seller_kind = models.CharField(max_length=16)
    partner_id = models.IntegerField(db_index=True)
    date_created = models.DateTimeField(db_index=True)
    fingerprint = models.CharField(max_length=40)
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "سند جست‌وجو"

    def __str__(self) -> str:
        return self.title


class SearchWord(models.Model):
    """A word that occurs in some indexed field: where a typo's corrections are
    looked up. Only grows between full reindexes (an unused word matches nothing)."""

    word = models.CharField(max_length=64, primary_key=True)

    def __str__(self) -> str:
        return self.word
