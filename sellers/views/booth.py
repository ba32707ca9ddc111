from django.http import Http404
from django.views.generic import ListView

from catalog.cache_version import listing_booth_version
from catalog.listings import product_listing
from catalog.selectors import product_list_filtered
from marketplace.page_cache import anonymous_page_cache
from sellers.selectors import seller_list_public


@anonymous_page_cache
class BoothView(ListView):
    """A booth's public page: the brand, her story if she consented, her live products.

    Booths that are not approved (or are suspended) do not exist for the public.
    Served from the anonymous page cache (marketplace.page_cache), its listing's ids and
    cards from catalog.listings and catalog.cards: what it shows (the booth, its
    district, its products) invalidates them through catalog.receivers.
    """

    template_name = "sellers/booth.html"
    paginate_by = 24
    context_object_name = "products"

    def get(self, request, *args, **kwargs):
        self.seller = seller_list_public().filter(slug=kwargs["slug"]).first()
        if self.seller is None:
            raise Http404("غرفه پیدا نشد")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        partner_id = self.seller.partner_id
        return product_listing(
            lambda: product_list_filtered(partner_id=partner_id),
            name=f"booth|{partner_id}",
            versions=[listing_booth_version(partner_id)],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["seller"] = self.seller
        return context
