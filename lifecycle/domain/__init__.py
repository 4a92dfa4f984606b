"""The lifecycle's rows and their rules: customers, orders, payments, carts, codes, escalations, touchpoint rows."""
