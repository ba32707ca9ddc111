// The card payment page: mounts Stripe's Payment Element. If Stripe.js did not
// load (blocked, offline, Stripe unreachable), shows the Persian fallback that
// offers paying on delivery instead. Confirmation comes from the webhook only:
// Stripe sends the buyer to the return page, which waits for it.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  // The wrapper carries `hidden` (the form's own display style would beat it).
  var box = document.getElementById("card-form-box");
  var loading = document.getElementById("card-loading");
  var fallback = document.getElementById("card-fallback");
  if (!form) { return; }

  function showFallback() {
    if (loading) { loading.hidden = true; }
    box.hidden = true;
    fallback.hidden = false;
  }

  if (typeof window.Stripe !== "function") { showFallback(); return; }

  var stripe;
  try {
    stripe = window.Stripe(form.dataset.publishableKey, { locale: "auto" });
  } catch (e) { showFallback(); return; }
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  var paymentElement = elements.create("payment");
  paymentElement.on("loaderror", showFallback);
  paymentElement.mount("#payment-element");
  box.hidden = false;
  if (loading) { loading.hidden = true; }

  var submit = document.getElementById("card-submit");
  var message = document.getElementById("card-message");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit.disabled = true;  // one click, one confirmation
    message.textContent = "";
    stripe.confirmPayment({
      elements: elements,
      confirmParams: { return_url: form.dataset.returnUrl }
    }).then(function (result) {
      if (result.error) {
        message.textContent = result.error.message || "پرداخت انجام نشد.";
        submit.disabled = false;
      }
    });
  });
})();
