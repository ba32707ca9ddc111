"""Messages between a buyer and a booth: threads on a product («از فروشنده
بپرسید») and on an order part, the booth's «پیام‌ها» tab, reports and staff
reading (`services`, the rules; `models`, the tables of the `order` app;
`buyer_views`, `panel_views`, `staff_views`, one module per audience)."""
