from django.http import Http404
from django.views.generic import ListView

from catalog.selectors import product_list_filtered
from sellers.selectors import seller_list_public


class BoothView(ListView):
    """A booth's public page: the brand, her story if she consented, her live products.

    Booths that are not approved (or are suspended) do not exist for the public.
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
        return product_list_filtered(partner_id=self.seller.partner_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["seller"] = self.seller
        return context
