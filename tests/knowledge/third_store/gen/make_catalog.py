#!/usr/bin/env python3
"""Generate catalog.csv (Shopify product CSV export) for the "Noor Mart" evaluation store.

Deterministic: fixed random seed for stock quantities plus explicit overrides.
Run once; questions were labelled by hand against the written catalog.csv and are
re-checked by verify.py (so any drift would be reported as a mismatch).
Standard library only.
"""
import csv, itertools, os, random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "catalog.csv")
STORE = "Noor Mart"
IMG = "https://noormart.pk/images/{h}-{n}.jpg"

HEADER = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
          "Option1 Name", "Option1 Value", "Option1 Linked To", "Option2 Name", "Option2 Value",
          "Option2 Linked To", "Option3 Name", "Option3 Value", "Option3 Linked To", "Variant SKU",
          "Variant Grams", "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Inventory Policy",
          "Variant Fulfillment Service", "Variant Price", "Variant Compare At Price",
          "Variant Requires Shipping", "Variant Taxable", "Variant Barcode", "Image Src", "Image Position",
          "Image Alt Text", "Gift Card", "SEO Title", "SEO Description", "Variant Image",
          "Variant Weight Unit", "Variant Tax Code", "Cost per item", "Status"]

CAT_PERF = "Health & Beauty > Personal Care > Cosmetics > Perfume & Cologne"
CAT_CHG = "Electronics > Electronics Accessories > Power > Power Adapters & Chargers"
CAT_CABLE = "Electronics > Electronics Accessories > Cables"
CAT_CASE = "Electronics > Communications > Telephony > Mobile Phone Accessories > Mobile Phone Cases"
CAT_PHACC = "Electronics > Communications > Telephony > Mobile Phone Accessories"
CAT_PB = "Electronics > Electronics Accessories > Power > Power Banks"
CAT_AUDIO = "Electronics > Audio > Audio Components > Headphones & Headsets"
CAT_COOK = "Home & Garden > Kitchen & Dining > Cookware & Bakeware > Cookware"
CAT_KIT = "Home & Garden > Kitchen & Dining > Kitchen Tools & Utensils"
CAT_TABLE = "Home & Garden > Kitchen & Dining > Tableware > Dinnerware"
CAT_STORE = "Home & Garden > Kitchen & Dining > Food Storage"
CAT_BOTTLE = "Home & Garden > Kitchen & Dining > Food & Beverage Carriers > Water Bottles"
CAT_APPL = "Home & Garden > Kitchen & Dining > Kitchen Appliances"
CAT_FABRIC = "Arts & Entertainment > Hobbies & Creative Arts > Arts & Crafts > Art & Crafting Materials > Textiles > Fabric"
CAT_CLOTH = "Apparel & Accessories > Clothing"
CAT_ACC = "Apparel & Accessories > Clothing Accessories"
CAT_BED = "Home & Garden > Linens & Bedding > Bedding > Bed Sheets"
CAT_HOMEFR = "Home & Garden > Decor > Home Fragrances"


def P(handle, title, body, ptype, tags, cat, options, price, grams, images=2, compare=None,
      exclude=(), sku=None, vendor=STORE, soldout=False, qty=None):
    """options: list of (name, [values]); price: number, dict keyed by a value, or callable(combo)."""
    return dict(handle=handle, title=title, body=body, type=ptype, tags=tags, cat=cat,
                options=options, price=price, grams=grams, images=images, compare=compare,
                exclude=set(exclude), sku=sku or handle.upper().replace("-", "")[:8],
                vendor=vendor, soldout=soldout, qty=qty or {})


def body(*sentences):
    return "".join("<p>%s</p>" % s for s in sentences)


PRODUCTS = [
    # ---------------- perfumes & attars ----------------
    P("oud-al-layl-attar", "Oud al Layl Attar",
      body("Oud al Layl is a concentrated alcohol-free attar.",
           "The notes are agarwood, saffron and rose.",
           "It comes in a glass roll-on bottle.",
           "The scent lasts 8 to 10 hours on skin.",
           "Keep the bottle away from direct sunlight."),
      "Attar", "attar, oud, alcohol free, men, women", CAT_PERF,
      [("Volume", ["6ml", "12ml", "24ml"]), ("Pack", ["Single", "Pack of 2", "Pack of 3"])],
      lambda c: {("6ml", "Single"): 890, ("6ml", "Pack of 2"): 1690, ("6ml", "Pack of 3"): 2390,
                 ("12ml", "Single"): 1490, ("12ml", "Pack of 2"): 2790, ("12ml", "Pack of 3"): 3990,
                 ("24ml", "Single"): 2690, ("24ml", "Pack of 2"): 4990, ("24ml", "Pack of 3"): 6990}[c],
      60, images=3, sku="NM-OUDLAY"),
    P("oud-cambodi-attar", "Oud Cambodi Attar",
      body("Oud Cambodi is a smoky and woody alcohol-free attar.",
           "It is made with Cambodian agarwood oil.",
           "It comes in a crystal glass bottle with a dipstick.",
           "The scent lasts 10 to 12 hours on skin."),
      "Attar", "attar, oud, alcohol free, sale", CAT_PERF,
      [("Volume", ["6ml", "12ml"])], {"6ml": 1290, "12ml": 2290}, 60,
      compare={"6ml": 1590, "12ml": 2790}, sku="NM-OUDCAM"),
    P("white-musk-attar", "White Musk Attar",
      body("Soft and clean white musk attar.",
           "It is alcohol-free and safe to wear for prayer.",
           "It comes in a roll-on bottle."),
      "Attar", "attar, musk, alcohol free", CAT_PERF,
      [("Volume", ["6ml", "12ml", "24ml"])], {"6ml": 690, "12ml": 1190, "24ml": 2090}, 50, sku="NM-WMUSK"),
    P("gulab-rose-attar", "Gulab (Rose) Attar",
      body("Attar made from Taif rose oil.",
           "It is alcohol-free.",
           "It comes in a roll-on bottle."),
      "Attar", "attar, rose, gulab, alcohol free", CAT_PERF,
      [("Volume", ["6ml", "12ml"])], {"6ml": 790, "12ml": 1390}, 50, images=1, sku="NM-GULAB"),
    P("chambeli-jasmine-attar", "Chambeli (Jasmine) Attar",
      body("Fresh jasmine attar with a light floral scent.",
           "It is alcohol-free.",
           "It comes in a roll-on bottle."),
      "Attar", "attar, jasmine, chambeli, alcohol free", CAT_PERF,
      [("Volume", ["6ml", "12ml"])], {"6ml": 790, "12ml": 1390}, 50, images=1, sku="NM-CHAMB"),
    P("noor-blue-homme-edp", "Noor Blue Homme Eau de Parfum",
      body("A fresh aquatic perfume for men.",
           "Top notes are bergamot and sea salt.",
           "Base notes are amber and cedarwood.",
           "The spray lasts 6 to 8 hours.",
           "It comes in a gift box."),
      "Perfume", "perfume, men, edp, sale", CAT_PERF,
      [("Volume", ["50ml", "100ml"])], {"50ml": 2490, "100ml": 3990}, 350,
      compare={"50ml": 2990, "100ml": 4990}, sku="NM-BLUEH"),
    P("midnight-intense-edp", "Midnight Intense Eau de Parfum",
      body("A warm and spicy perfume for men.",
           "Top notes are black pepper and cardamom.",
           "Base notes are leather and tonka bean.",
           "The spray lasts 8 to 10 hours."),
      "Perfume", "perfume, men, edp", CAT_PERF,
      [("Volume", ["50ml", "100ml"])], {"50ml": 2990, "100ml": 4490}, 350, sku="NM-MIDNT"),
    P("rose-petal-edp", "Rose Petal Eau de Parfum (Women)",
      body("A soft floral perfume for women.",
           "The notes are rose, peony and white musk.",
           "The spray lasts 5 to 6 hours."),
      "Perfume", "perfume, women, edp, rose", CAT_PERF,
      [("Volume", ["30ml", "50ml", "100ml"])], {"30ml": 1790, "50ml": 2590, "100ml": 3990}, 300, sku="NM-ROSEP"),
    P("velvet-amber-edp", "Velvet Amber Eau de Parfum",
      body("A unisex amber and vanilla perfume.",
           "It is suitable for both men and women.",
           "The spray lasts 8 to 10 hours.",
           "It comes in a gift box."),
      "Perfume", "perfume, unisex, edp, amber", CAT_PERF,
      [("Volume", ["50ml", "100ml"])], {"50ml": 3290, "100ml": 4990}, 350, sku="NM-VELAM"),
    P("attar-gift-box", "Attar Gift Box (4 x 6ml)",
      body("The box has four 6ml attars.",
           "The attars are Oud al Layl, White Musk, Gulab and Chambeli.",
           "It comes in a wooden box with a velvet lining.",
           "It is a good gift for Eid and weddings."),
      "Gift Set", "attar, gift, eid, sale", CAT_PERF,
      [("Title", ["Default Title"])], 2990, 400, images=3, compare=3490, sku="NM-ATGIFT"),
    P("fresh-sport-body-spray", "Fresh Sport Body Spray 150ml",
      body("Deodorant body spray for men.",
           "Each can holds 150ml.",
           "It gives 24 hour freshness.",
           "Do not spray on broken skin."),
      "Body Spray", "body spray, deodorant, men", CAT_PERF,
      [("Pack", ["Single", "Pack of 2", "Pack of 3"])], {"Single": 650, "Pack of 2": 1190, "Pack of 3": 1690},
      200, images=1, sku="NM-FSPORT"),
    P("bakhoor-muattar", "Bakhoor Muattar",
      body("Scented wood chips for burning on charcoal or an electric burner.",
           "The scent is oud with amber.",
           "It comes in a sealed tin."),
      "Bakhoor", "bakhoor, oud, home fragrance", CAT_HOMEFR,
      [("Weight", ["40g", "80g"])], {"40g": 990, "80g": 1790}, 120, images=1, sku="NM-BAKHO"),
    P("electric-bakhoor-burner", "Electric Bakhoor Burner",
      body("Rechargeable electric burner for bakhoor.",
           "The battery charges with a USB-C cable.",
           "One USB-C cable is included in the box.",
           "Height is 12 cm."),
      "Bakhoor", "bakhoor, burner, rechargeable", CAT_HOMEFR,
      [("Color", ["Black", "Gold"])], 2490, 300, sku="NM-EBURN"),
    P("car-air-freshener-gel", "Car Air Freshener Gel",
      body("Gel air freshener for cars.",
           "One tub lasts about 45 days.",
           "Net weight is 70 grams."),
      "Air Freshener", "car, freshener, gel", CAT_HOMEFR,
      [("Scent", ["Lemon", "Lavender", "Ocean", "Oud"])], 490, 90, images=1, sku="NM-CARGEL"),

    # ---------------- mobile accessories ----------------
    P("usb-c-pd-wall-charger", "USB-C PD Fast Wall Charger",
      body("Fast wall charger with one USB-C port.",
           "It supports PD fast charging for iPhone and Samsung phones.",
           "The cable is not included in the box.",
           "It has a two-pin plug.",
           "Warranty is 6 months against manufacturing faults."),
      "Charger", "charger, type c, pd, fast charging", CAT_CHG,
      [("Wattage", ["20W", "25W", "45W"]), ("Color", ["White", "Black"])],
      {"20W": 1490, "25W": 1790, "45W": 2990}, 80, sku="NM-PDCHG"),
    P("gan-charger-65w", "65W GaN Charger 3-Port",
      body("GaN charger with two USB-C ports and one USB-A port.",
           "It can charge a laptop, a tablet and a phone together.",
           "A 1m USB-C to USB-C cable is included in the box.",
           "Weight is 120 grams.",
           "Warranty is 1 year."),
      "Charger", "charger, gan, 65w, laptop, sale", CAT_CHG,
      [("Color", ["Black", "White"])], 5490, 120, compare=6490, sku="NM-GAN65"),
    P("dual-port-car-charger", "Dual Port Car Charger",
      body("Car charger with one USB-C port and one USB-A port.",
           "It fits any car cigarette lighter socket.",
           "It has a blue LED ring."),
      "Charger", "charger, car, type c", CAT_CHG,
      [("Wattage", ["20W", "38W"])], {"20W": 990, "38W": 1490}, 40, images=1, sku="NM-CARCHG"),
    P("usb-c-braided-cable", "USB-C to USB-C Braided Cable",
      body("Nylon braided cable for fast charging up to 60W.",
           "It also transfers data.",
           "It has aluminium connector heads."),
      "Cable", "cable, type c, braided", CAT_CABLE,
      [("Length", ["1m", "2m"]), ("Color", ["Black", "White"])], {"1m": 690, "2m": 890}, 40, sku="NM-CCBRD"),
    P("usb-c-lightning-cable", "USB-C to Lightning Cable",
      body("Cable for iPhone fast charging with a 20W or higher USB-C charger.",
           "The outer cover is TPE.",
           "The colour is white."),
      "Cable", "cable, lightning, iphone", CAT_CABLE,
      [("Length", ["1m", "2m"])], {"1m": 1190, "2m": 1490}, 40, sku="NM-CLIGHT"),
    P("liquid-silicone-cover", "Liquid Silicone Back Cover",
      body("Soft liquid silicone cover with a microfibre lining inside.",
           "It has raised edges to protect the camera.",
           "Wipe with a damp cloth to clean."),
      "Phone Cover", "cover, case, silicone, iphone, samsung, redmi", CAT_CASE,
      [("Model", ["iPhone 13", "iPhone 14", "iPhone 15", "Galaxy A54", "Redmi Note 12"]),
       ("Color", ["Black", "Sky Blue", "Maroon", "Mustard"])],
      lambda c: 1290 if c[0].startswith("iPhone") else 990, 30, images=3,
      exclude=[("iPhone 15", "Maroon"), ("iPhone 15", "Mustard"), ("Galaxy A54", "Maroon"),
               ("Redmi Note 12", "Mustard")], sku="NM-SILCV"),
    P("transparent-anti-shock-cover", "Transparent Anti-Shock Cover",
      body("Clear TPU cover with air-cushion corners.",
           "It is fully transparent.",
           "It may turn slightly yellow after some months of use."),
      "Phone Cover", "cover, case, clear, transparent", CAT_CASE,
      [("Model", ["iPhone 13", "iPhone 14", "iPhone 15", "Galaxy A54", "Galaxy A34", "Redmi Note 12",
                  "Redmi Note 13"])], 690, 25, sku="NM-CLRCV"),
    P("leather-flip-wallet-case", "Leather Flip Wallet Case",
      body("Flip cover made of PU leather.",
           "It has three card slots inside the flap.",
           "A magnetic clasp keeps the flap closed."),
      "Phone Cover", "cover, case, flip, wallet, leather", CAT_CASE,
      [("Model", ["iPhone 13", "iPhone 14", "Galaxy A54"]), ("Color", ["Black", "Brown"])],
      1990, 70, sku="NM-FLIPCV"),
    P("tempered-glass-protector", "9H Tempered Glass Screen Protector",
      body("9H hardness tempered glass.",
           "It covers the full screen edge to edge.",
           "A cleaning kit is included in the pack."),
      "Screen Protector", "glass protector, screen guard", CAT_PHACC,
      [("Model", ["iPhone 13", "iPhone 14", "iPhone 15", "Galaxy A54", "Redmi Note 12", "Redmi Note 13"]),
       ("Pack", ["Single", "Pack of 2"])], {"Single": 490, "Pack of 2": 790}, 20, images=1, sku="NM-TGLASS"),
    P("slim-power-bank", "Slim Power Bank",
      body("Power bank with 22.5W fast charging.",
           "It has one USB-C port and two USB-A ports.",
           "The 10000mAh model weighs 210 grams.",
           "The 20000mAh model weighs 380 grams.",
           "A short USB-C cable is included in the box."),
      "Power Bank", "power bank, fast charging, sale", CAT_PB,
      [("Capacity", ["10000mAh", "20000mAh"]), ("Color", ["Black", "White"])],
      {"10000mAh": 3490, "20000mAh": 5490}, 300, compare={"10000mAh": 3990, "20000mAh": 6490}, sku="NM-PBSLIM"),
    P("magnetic-wireless-power-bank", "Magnetic Wireless Power Bank 5000mAh",
      body("It sticks to the back of iPhone 12 and newer models with magnets.",
           "Wireless charging output is 15W.",
           "Capacity is 5000mAh."),
      "Power Bank", "power bank, magnetic, wireless, iphone", CAT_PB,
      [("Color", ["Black", "Purple", "White"])], 4290, 140, sku="NM-PBMAG"),
    P("wireless-earbuds-pro", "Wireless Earbuds Pro",
      body("Bluetooth 5.3 earbuds with noise cancellation.",
           "Battery lasts 6 hours per charge and 30 hours with the case.",
           "The box has the earbuds, the charging case, a USB-C cable and two extra pairs of ear tips.",
           "Warranty is 6 months."),
      "Earbuds", "earbuds, bluetooth, wireless, sale", CAT_AUDIO,
      [("Color", ["Black", "White"])], 3990, 60, compare=4990, images=3, sku="NM-EARPRO"),
    P("wired-handsfree-mic", "Wired Handsfree with Mic",
      body("Wired earphones with a mic and a volume button.",
           "The wire is 1.2m long."),
      "Handsfree", "handsfree, earphones, wired", CAT_AUDIO,
      [("Connector", ["3.5mm", "Type C"])], {"3.5mm": 590, "Type C": 790}, 30, images=1, sku="NM-HFREE"),
    P("car-phone-holder", "Car Phone Holder (Dashboard)",
      body("Holds phones from 4.7 to 6.9 inches.",
           "It sticks to the dashboard with a suction cup.",
           "The arm turns 360 degrees."),
      "Phone Holder", "car, holder, mobile stand", CAT_PHACC,
      [("Title", ["Default Title"])], 1290, 180, images=2, sku="NM-CARHLD"),
    P("selfie-stick-tripod", "Selfie Stick Tripod with Remote",
      body("It extends from 20 cm to 100 cm.",
           "The legs open to make a tripod.",
           "The Bluetooth remote uses a CR2032 battery."),
      "Selfie Stick", "selfie stick, tripod, remote", CAT_PHACC,
      [("Title", ["Default Title"])], 1890, 220, images=2, sku="NM-SELFIE"),
    P("smart-watch-fit-2", "Smart Watch Fit 2",
      body("Smart watch with a 1.8 inch display.",
           "Battery lasts up to 5 days.",
           "It is water resistant to IP67.",
           "It shows WhatsApp and call notifications."),
      "Smart Watch", "smart watch, fitness, sale", CAT_PHACC,
      [("Color", ["Black", "Pink", "Silver"])], 5990, 90, compare=7490, images=3, sku="NM-SWFIT"),

    # ---------------- kitchenware & home ----------------
    P("aluminium-pressure-cooker", "Aluminium Pressure Cooker",
      body("Pressure cooker made of thick food-grade aluminium.",
           "It has a safety valve and a weight whistle.",
           "One extra rubber gasket is included in the box.",
           "Do not use on high flame when empty.",
           "Wash by hand with a soft sponge."),
      "Pressure Cooker", "cooker, pressure cooker, aluminium, kitchen", CAT_COOK,
      [("Capacity", ["5L", "7L", "9L", "11L"]), ("Colour", ["Red", "Black", "Silver"])],
      {"5L": 4490, "7L": 5290, "9L": 6290, "11L": 7490}, 2600, images=3,
      exclude=[("11L", "Red"), ("11L", "Black")], sku="NM-ALCOOK"),
    P("steel-pressure-cooker", "Stainless Steel Pressure Cooker",
      body("Made of 304 stainless steel.",
           "It works on gas and induction stoves.",
           "Warranty is 1 year on the body."),
      "Pressure Cooker", "cooker, pressure cooker, steel, induction", CAT_COOK,
      [("Capacity", ["3L", "5L", "7L"])], {"3L": 5990, "5L": 7490, "7L": 8990}, 3200, sku="NM-SSCOOK"),
    P("non-stick-cookware-set", "Non-Stick Cookware Set",
      body("Aluminium body with a 3-layer non-stick coating.",
           "The 3 pc set has a fry pan, a saucepan and a karahi.",
           "The 5 pc set has a fry pan, a saucepan, a karahi, a casserole and a glass lid.",
           "The 7 pc set has the 5 pc items plus a tawa and a spatula.",
           "Use wooden or silicone spoons only.",
           "Do not wash in a dishwasher."),
      "Cookware Set", "non stick, cookware, set, kitchen", CAT_COOK,
      [("Set", ["3 pc", "5 pc", "7 pc"]), ("Colour", ["Maroon", "Black", "Mustard"])],
      {"3 pc": 4990, "5 pc": 7490, "7 pc": 9990}, 4000, images=3, sku="NM-NSSET"),
    P("non-stick-fry-pan", "Non-Stick Fry Pan",
      body("Fry pan with a non-stick coating and a bakelite handle.",
           "It works on gas stoves only.",
           "The colour is black."),
      "Fry Pan", "fry pan, non stick, kitchen", CAT_COOK,
      [("Size", ["20cm", "24cm", "28cm"])], {"20cm": 1790, "24cm": 2190, "28cm": 2690}, 700, images=1,
      sku="NM-NSPAN"),
    P("granite-fry-pan", "Granite Coated Fry Pan",
      body("Fry pan with a granite stone coating.",
           "It works on gas and induction stoves.",
           "The handle is soft-touch bakelite."),
      "Fry Pan", "fry pan, granite, induction, sale", CAT_COOK,
      [("Size", ["24cm", "26cm", "28cm"]), ("Colour", ["Grey", "Brown"])],
      {"24cm": 2990, "26cm": 3290, "28cm": 3590}, 900, compare={"24cm": 3490, "26cm": 3790, "28cm": 4190},
      sku="NM-GRPAN"),
    P("melamine-dinner-set", "Melamine Dinner Set",
      body("Dinner set made of high quality melamine.",
           "The 32 pc set serves 6 people.",
           "The 72 pc set serves 12 people.",
           "It is not microwave safe."),
      "Dinner Set", "dinner set, melamine, crockery", CAT_TABLE,
      [("Pieces", ["32 pc", "72 pc"]), ("Color", ["Off White", "Multi"])],
      {"32 pc": 5990, "72 pc": 11990}, 6000, images=3, sku="NM-DINSET"),
    P("kitchen-knife-set", "Kitchen Knife Set 6 pc",
      body("Set of five stainless steel knives and one pair of scissors.",
           "They come in a wooden block."),
      "Knife Set", "knife, kitchen, set", CAT_KIT,
      [("Title", ["Default Title"])], 2490, 1100, images=2, sku="NM-KNIFE"),
    P("iron-tawa", "Iron Tawa",
      body("Heavy iron tawa for roti and paratha.",
           "Small is 10 inches across.",
           "Medium is 12 inches across.",
           "Large is 14 inches across.",
           "Oil it lightly after washing to stop rust."),
      "Tawa", "tawa, iron, roti", CAT_COOK,
      [("Size", ["Small", "Medium", "Large"])], {"Small": 990, "Medium": 1290, "Large": 1590}, 1500,
      images=1, sku="NM-TAWA"),
    P("cast-iron-karahi", "Cast Iron Karahi",
      body("Pre-seasoned cast iron karahi with two handles.",
           "It is heavy and keeps heat for a long time.",
           "Dry it fully after washing."),
      "Karahi", "karahi, cast iron, kitchen", CAT_COOK,
      [("Size", ["10 inch", "12 inch", "14 inch"])], {"10 inch": 2490, "12 inch": 2990, "14 inch": 3690},
      2800, sku="NM-CIKAR"),
    P("airtight-storage-jar-set", "Airtight Storage Jar Set",
      body("BPA-free plastic jars with airtight lids.",
           "Each jar holds 1.2 litres."),
      "Storage", "jars, storage, kitchen, airtight", CAT_STORE,
      [("Pack", ["Pack of 3", "Pack of 6"]), ("Colour", ["Sky Blue", "Green", "Pink"])],
      {"Pack of 3": 1490, "Pack of 6": 2690}, 900, images=1, sku="NM-JARS"),
    P("steel-water-bottle", "Steel Water Bottle",
      body("Double-wall vacuum insulated bottle.",
           "It keeps water cold for 24 hours and hot for 12 hours.",
           "Wash by hand only."),
      "Water Bottle", "bottle, steel, insulated", CAT_BOTTLE,
      [("Capacity", ["500ml", "750ml", "1L"]), ("Color", ["Black", "Sky Blue", "Maroon", "White"])],
      {"500ml": 1290, "750ml": 1590, "1L": 1890}, 400, exclude=[("1L", "Maroon"), ("1L", "White")],
      sku="NM-BOTTLE"),
    P("insulated-lunch-box", "Insulated Lunch Box 3 Layer",
      body("Lunch box with three steel containers inside an insulated case.",
           "Each container holds 400 ml.",
           "A spoon is included."),
      "Lunch Box", "lunch box, tiffin, steel", CAT_BOTTLE,
      [("Colour", ["Blue", "Grey"])], 2190, 800, images=1, sku="NM-LUNCH"),
    P("electric-kettle", "Electric Kettle 1.8L",
      body("Stainless steel electric kettle.",
           "Capacity is 1.8 litres.",
           "Power is 1500 watts.",
           "It switches off by itself when the water boils."),
      "Kettle", "kettle, electric, kitchen", CAT_APPL,
      [("Colour", ["Black", "Silver"])], 3990, 1000, soldout=True, sku="NM-KETTLE"),
    P("hand-pull-chopper", "Hand Pull Chopper",
      body("Pull the cord to chop onions, garlic and chillies.",
           "The bowl holds 500 ml.",
           "It has three steel blades."),
      "Chopper", "chopper, kitchen, onion", CAT_KIT,
      [("Title", ["Default Title"])], 890, 250, images=1, sku="NM-CHOP"),

    # ---------------- men's unstitched, accessories, bedding ----------------
    P("mens-unstitched-suit", "Men's Unstitched Suit",
      body("Unstitched fabric for a shalwar kameez.",
           "Wash & Wear is a soft blended fabric that needs little ironing.",
           "Cotton is 100% combed cotton.",
           "The 4.5m piece is enough for men up to 5 feet 10 inches.",
           "Wash in cold water and dry in shade."),
      "Unstitched Suit", "men, unstitched, wash and wear, cotton, shalwar kameez", CAT_FABRIC,
      [("Fabric", ["Wash & Wear", "Cotton"]), ("Length", ["4.5m", "5m"]),
       ("Colour", ["White", "Off White", "Grey", "Sky Blue", "Brown"])],
      lambda c: {("Wash & Wear", "4.5m"): 3490, ("Wash & Wear", "5m"): 3790,
                 ("Cotton", "4.5m"): 3990, ("Cotton", "5m"): 4290}[c[:2]], 900, images=3,
      exclude=[("Cotton", "4.5m", "Brown"), ("Cotton", "5m", "Brown")], sku="NM-MUNST"),
    P("premium-boski-suit", "Premium Boski Unstitched Suit",
      body("Pure boski silk fabric.",
           "It has a natural shine.",
           "Dry clean only."),
      "Unstitched Suit", "men, unstitched, boski, silk, eid", CAT_FABRIC,
      [("Length", ["4.5m", "5m"]), ("Colour", ["Off White", "Cream", "Light Brown"])],
      {"4.5m": 8490, "5m": 8990}, 800, images=2, sku="NM-BOSKI"),
    P("egyptian-cotton-suit", "Egyptian Cotton Unstitched Suit",
      body("Egyptian cotton fabric with a fine smooth finish.",
           "Each piece is 4.5 metres.",
           "It is a summer fabric."),
      "Unstitched Suit", "men, unstitched, cotton, egyptian", CAT_FABRIC,
      [("Length", ["4.5m"]), ("Colour", ["White", "Black", "Maroon", "Grey"])], 5490, 850, sku="NM-EGYPT"),
    P("karandi-winter-suit", "Karandi Winter Unstitched Suit",
      body("Karandi fabric for winter.",
           "Each piece is 4.75 metres.",
           "Dry clean is recommended."),
      "Unstitched Suit", "men, unstitched, karandi, winter, sale", CAT_FABRIC,
      [("Colour", ["Brown", "Black", "Grey", "Off White"])], 4990, 1000, compare=5990, sku="NM-KARAN"),
    P("mens-waistcoat", "Men's Waistcoat",
      body("Ready-to-wear waistcoat in jamawar fabric.",
           "It has five buttons and two side pockets.",
           "The lining is polyester.",
           "Dry clean only."),
      "Waistcoat", "men, waistcoat, wedding, eid", CAT_CLOTH,
      [("Size", ["S", "M", "L", "XL", "XXL"]), ("Colour", ["Black", "Maroon", "Mustard", "Grey"])],
      3990, 450, images=3, sku="NM-WCOAT"),
    P("crochet-prayer-cap", "Crochet Prayer Cap (Topi)",
      body("Hand-made crochet cap.",
           "It is 100% cotton thread.",
           "One size fits most."),
      "Cap", "men, cap, topi, prayer", CAT_ACC,
      [("Size", ["Free Size"]), ("Colour", ["White", "Black", "Off White"])], 390, 40, images=1, sku="NM-TOPI"),
    P("cotton-bedsheet-set", "Cotton Bedsheet Set",
      body("100% cotton bedsheet with a 180 thread count.",
           "The King set has one bedsheet and two pillow covers.",
           "The Queen set has one bedsheet and two pillow covers.",
           "The Single set has one bedsheet and one pillow cover.",
           "King bedsheet size is 108 x 108 inches.",
           "Machine wash on a gentle cycle."),
      "Bedsheet", "bedsheet, bedding, cotton, king, queen", CAT_BED,
      [("Size", ["Single", "Queen", "King"]), ("Colour", ["Sky Blue", "Maroon", "Off White", "Multi"])],
      {"Single": 2490, "Queen": 3490, "King": 3990}, 1200, images=3, sku="NM-BEDSH"),
    P("mens-leather-belt", "Men's Leather Belt",
      body("Genuine cow leather belt.",
           "The buckle is made of zinc alloy.",
           "Width is 3.5 cm."),
      "Belt", "men, belt, leather", CAT_ACC,
      [("Size", ["32", "34", "36", "38", "40", "42"]), ("Color", ["Black", "Brown"])], 1990, 250,
      sku="NM-BELT"),
    P("leather-bifold-wallet", "Men's Leather Bifold Wallet",
      body("Genuine leather wallet.",
           "It has six card slots and two note pockets.",
           "It comes in a gift box."),
      "Wallet", "men, wallet, leather", CAT_ACC,
      [("Color", ["Black", "Brown"])], 1790, 120, sku="NM-WALLET"),
    P("slim-card-holder-wallet", "Slim Leather Card Holder Wallet",
      body("Slim wallet made of genuine leather.",
           "It holds up to 6 cards.",
           "It fits in a front pocket."),
      "Wallet", "men, wallet, card holder, leather", CAT_ACC,
      [("Color", ["Black", "Brown", "Tan"])], 1190, 60, images=1, sku="NM-CARDH"),
    P("mens-wool-shawl", "Men's Wool Shawl",
      body("Soft wool blend shawl for men.",
           "Size is 54 x 100 inches.",
           "Dry clean only."),
      "Shawl", "men, shawl, winter, wool", CAT_ACC,
      [("Colour", ["Brown", "Black", "Grey", "Off White"])], 3490, 600, sku="NM-SHAWL"),
    # appended last so that the seeded stock of the products above stays unchanged
    P("hot-pot-casserole", "Hot Pot Casserole",
      body("Insulated hot pot for roti and salan.",
           "The inside is stainless steel.",
           "It keeps food warm for up to 4 hours.",
           "The Printed style has a floral print on the lid."),
      "Hot Pot", "hot pot, casserole, roti, kitchen", CAT_KIT,
      [("Capacity", ["1L", "2L", "3L"]), ("Colour", ["Maroon", "Black"]), ("Style", ["Plain", "Printed"])],
      {"1L": 1690, "2L": 2190, "3L": 2790}, 900, images=2, exclude=[("3L", "Black", "Printed")],
      sku="NM-HOTPOT"),
    P("cushion-cover-set", "Velvet Cushion Cover Set",
      body("Soft velvet cushion covers with a hidden zip.",
           "Cushion fillings are not included.",
           "Machine wash cold, inside out."),
      "Cushion Cover", "cushion cover, velvet, home decor, sale", CAT_BED,
      [("Size", ["16x16", "18x18"]), ("Colour", ["Maroon", "Mustard", "Off White"]),
       ("Pack", ["Pack of 2", "Pack of 5"])],
      lambda c: {("16x16", "Pack of 2"): 1490, ("16x16", "Pack of 5"): 3290,
                 ("18x18", "Pack of 2"): 1690, ("18x18", "Pack of 5"): 3790}[(c[0], c[2])], 500,
      compare=lambda c: {"Pack of 2": 1990, "Pack of 5": 4490}[c[2]] if c[0] == "18x18" else None,
      images=2, sku="NM-CUSH"),
]

# Explicit stock overrides (handle, option values tuple) -> qty, set so that the catalogue has
# a realistic mix and some interesting cases (low stock, whole colour sold out, ...).
OVERRIDES = {
    ("aluminium-pressure-cooker", ("7L", "Red")): 6,
    ("aluminium-pressure-cooker", ("9L", "Red")): 0,
    ("mens-waistcoat", ("XL", "Maroon")): 0,
    ("mens-waistcoat", ("XXL", "Maroon")): 2,
    ("premium-boski-suit", ("5m", "Cream")): 1,
    ("gan-charger-65w", ("White",)): 0,
    ("wireless-earbuds-pro", ("White",)): 3,
}


def price_of(p, combo):
    pr = p["price"]
    if callable(pr):
        return pr(combo if len(combo) > 1 else combo[0])
    if isinstance(pr, dict):
        for v in combo:
            if v in pr:
                return pr[v]
        raise KeyError((p["handle"], combo))
    return pr


def compare_of(p, combo):
    c = p["compare"]
    if c is None:
        return None
    if callable(c):
        return c(combo)
    if isinstance(c, dict):
        for v in combo:
            if v in c:
                return c[v]
        raise KeyError((p["handle"], combo))
    return c


def main():
    rng = random.Random(1729)
    rows = []
    for p in PRODUCTS:
        names = [n for n, _ in p["options"]]
        combos = [c for c in itertools.product(*[vals for _, vals in p["options"]]) if c not in p["exclude"]]
        first = True
        nimg = p["images"]
        for combo in combos:
            r = rng.random()
            if r < 0.30:
                q = 0
            elif r < 0.38:
                q = rng.randint(1, 3)
            else:
                q = rng.randint(4, 40)
            if p["soldout"]:
                q = 0
            q = OVERRIDES.get((p["handle"], combo), q)
            row = dict.fromkeys(HEADER, "")
            row["Handle"] = p["handle"]
            for i, v in enumerate(combo):
                row["Option%d Value" % (i + 1)] = v
            if first:
                row.update({"Title": p["title"], "Body (HTML)": p["body"], "Vendor": p["vendor"],
                            "Product Category": p["cat"], "Type": p["type"], "Tags": p["tags"],
                            "Published": "TRUE", "Gift Card": "FALSE", "Status": "active"})
                for i, n in enumerate(names):
                    row["Option%d Name" % (i + 1)] = n
                row["Image Src"] = IMG.format(h=p["handle"], n=1)
                row["Image Position"] = "1"
                row["Image Alt Text"] = p["title"]
            sku = p["sku"] if combo == ("Default Title",) else \
                p["sku"] + "-" + "-".join(v.upper().replace(" ", "").replace("&", "N").replace(".", "") for v in combo)
            row["Variant SKU"] = sku
            row["Variant Grams"] = str(p["grams"])
            row["Variant Inventory Tracker"] = "shopify"
            row["Variant Inventory Qty"] = str(q)
            row["Variant Inventory Policy"] = "deny"
            row["Variant Fulfillment Service"] = "manual"
            row["Variant Price"] = "%.2f" % price_of(p, combo)
            ca = compare_of(p, combo)
            row["Variant Compare At Price"] = "%.2f" % ca if ca else ""
            row["Variant Requires Shipping"] = "TRUE"
            row["Variant Taxable"] = "FALSE"
            row["Variant Weight Unit"] = "kg"
            rows.append(row)
            first = False
        for n in range(2, nimg + 1):
            row = dict.fromkeys(HEADER, "")
            row["Handle"] = p["handle"]
            row["Image Src"] = IMG.format(h=p["handle"], n=n)
            row["Image Position"] = str(n)
            row["Image Alt Text"] = p["title"]
            rows.append(row)
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    nvar = sum(1 for r in rows if r["Variant Price"])
    zero = sum(1 for r in rows if r["Variant Price"] and r["Variant Inventory Qty"] == "0")
    low = sum(1 for r in rows if r["Variant Price"] and r["Variant Inventory Qty"] in ("1", "2", "3"))
    print("products", len(PRODUCTS), "variants", nvar, "out of stock", zero, "(%.1f%%)" % (100.0 * zero / nvar),
          "low(1-3)", low)


if __name__ == "__main__":
    main()
