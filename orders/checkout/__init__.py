default_app_config = "orders.checkout.apps.CheckoutConfig"
