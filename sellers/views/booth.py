from django.http import Http404, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.views.generic import ListView

from catalog.cache_version import listing_booth_version
from catalog.listings import product_listing
from catalog.selectors import product_list_filtered
from marketplace.accounts.ip import client_ip, client_key
from marketplace.page_cache import anonymous_page_cache
from orders.reviews.services import booth_rating_for_page
from sellers import services
from sellers.models import BazaarStall, Seller
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
        context["booth_rating"] = booth_rating_for_page(
            seller_id=self.seller.pk, partner_id=self.seller.partner_id
        )
        return context


def bazaar_qr_view(request, stall_id: int):
    """The short URL printed as a QR code on a stall's poster: counts the
    visitor once a day (`bazaar_visit_count`: no cookie, no address or user in
    the database) and sends her to the booth with the bazaar's campaign tag.
    Never cached, so every scan reaches the counter."""
    stall = (
        BazaarStall.objects.select_related("seller", "bazaar")
        .filter(Seller.public_q("seller__"), pk=stall_id)
        .first()
    )
    if stall is None:
        raise Http404("غرفه پیدا نشد")
    services.bazaar_visit_count(
        stall=stall,
        client=client_key(client_ip(request)),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:512],
    )
    url = services.stall_campaign_url(
        stall=stall, booth_url=stall.seller.get_absolute_url()
    )
    response = HttpResponseRedirect(url)
    add_never_cache_headers(response)
    return response
