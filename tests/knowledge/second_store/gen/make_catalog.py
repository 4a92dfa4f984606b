"""Generate catalog.csv for the 'Nanhay Qadam' evaluation store (deterministic)."""
import csv, random, itertools, os

HEADER = "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option1 Linked To,Option2 Name,Option2 Value,Option2 Linked To,Option3 Name,Option3 Value,Option3 Linked To,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,Status".split(",")
VENDOR = "Nanhay Qadam"
SHOES = "Apparel & Accessories > Shoes"
KIDS = "Apparel & Accessories > Clothing > Baby & Toddler Clothing"
CLOTH = "Apparel & Accessories > Clothing"
BED = "Home & Garden > Linens & Bedding"
BEAUTY = "Health & Beauty > Personal Care"

def rng_sizes(a, b): return [str(x) for x in range(a, b + 1)]

P = []
def prod(handle, title, typ, cat, tags, body, options, price, compare=None, grams=500,
         exclude=None, images=1, qty=None, zero_all=False):
    P.append(dict(handle=handle, title=title, type=typ, cat=cat, tags=tags, body=body,
                  options=options, price=price, compare=compare, grams=grams,
                  exclude=exclude or (lambda v: False), images=images, qty=qty or {},
                  zero_all=zero_all))

# ---------------- men's shoes ----------------
prod("men-peshawari-chappal", "Men's Leather Peshawari Chappal", "Chappal", SHOES,
     "men, chappal, peshawari, leather, eid",
     ["Handmade Peshawari chappal for men.", "The upper is made of genuine cow leather.",
      "The sole is made of tyre rubber.", "Weight is about 650 grams per pair.",
      "Wipe with a dry cloth and do not wash in water."],
     [("Shoe Size", rng_sizes(39, 45)), ("Color", ["Black", "Brown"])], 3490, grams=650, images=3)
prod("men-black-strap-sandal", "Men's Black Strap Sandal", "Sandal", SHOES,
     "men, sandal, black, summer",
     ["Black sandal with two adjustable buckle straps.", "The upper is made of synthetic leather.",
      "The sole is made of PU.", "Weight is about 480 grams per pair."],
     [("Shoe Size", rng_sizes(39, 44))], 2290, grams=480, images=2)
prod("men-velcro-comfort-sandal", "Men's Comfort Velcro Sandal", "Sandal", SHOES,
     "men, sandal, velcro, comfort",
     ["Comfort sandal with velcro straps for easy wear.", "The footbed is cushioned with memory foam.",
      "The sole is made of EVA and is very light.", "Weight is about 420 grams per pair."],
     [("Shoe Size", rng_sizes(40, 45)), ("Color", ["Black", "Brown"])], 2490, compare=2990, grams=420)
prod("men-formal-oxford-shoe", "Men's Formal Oxford Shoe", "Formal Shoe", SHOES,
     "men, formal, office, leather, oxford",
     ["Lace-up formal oxford shoe for office and weddings.", "The upper is made of genuine leather.",
      "The lining is made of soft leather.", "The sole is made of TPR rubber.",
      "Polish regularly with a matching shoe polish."],
     [("Size", ["UK 6", "UK 7", "UK 8", "UK 9", "UK 10", "UK 11"]), ("Color", ["Black", "Brown"])],
     6990, compare=8490, grams=900, images=2)
prod("men-canvas-sneaker", "Men's Canvas Sneaker", "Sneaker", SHOES,
     "men, sneaker, canvas, casual",
     ["Low-top canvas sneaker for everyday wear.", "The upper is made of cotton canvas.",
      "The sole is made of vulcanised rubber.", "The shoe can be hand washed in cold water."],
     [("Size", ["EU 40", "EU 41", "EU 42", "EU 43", "EU 44", "EU 45"]), ("Color", ["White", "Navy", "Grey"])],
     2990, grams=700, images=2)
prod("men-slip-on-loafer", "Men's Slip-On Loafer", "Loafer", SHOES,
     "men, loafer, slip-on, casual",
     ["Slip-on loafer with a padded insole.", "The leather version has a genuine leather upper.",
      "The suede version has a cow suede upper.", "The sole is made of rubber."],
     [("Shoe Size", rng_sizes(40, 44)), ("Color", ["Tan", "Black"]), ("Material", ["Leather", "Suede"])],
     lambda v: 5490 if v[2] == "Leather" else 4990, grams=750,
     exclude=lambda v: v[2] == "Suede" and v[1] == "Black")
prod("men-rubber-flip-flop", "Men's Rubber Flip Flop", "Slipper", SHOES,
     "men, slipper, flip flop, hawai chappal",
     ["Everyday rubber flip flop.", "It is made of 100% natural rubber.", "It is waterproof."],
     [("Size", ["7", "8", "9", "10"]), ("Color", ["Black", "Blue"])], 690, grams=300)
prod("men-running-shoe", "Men's Running Shoe", "Sports Shoe", SHOES,
     "men, sports, running, joggers",
     ["Lightweight running shoe for walking, gym and jogging.", "The upper is made of breathable mesh.",
      "The sole is made of EVA with rubber grip.", "Weight is about 560 grams per pair."],
     [("Shoe Size", rng_sizes(40, 45)), ("Color", ["Black", "Grey"])], 4490, compare=5990, grams=560, images=3)

# ---------------- women's shoes ----------------
prod("ladies-embroidered-khussa", "Ladies Embroidered Khussa", "Khussa", SHOES,
     "women, ladies, khussa, embroidered, eid, wedding",
     ["Hand-embroidered khussa made in Multan.", "The upper is made of velvet with thread embroidery.",
      "The sole is made of leather.", "The insole is padded with soft foam."],
     [("Shoe Size", rng_sizes(36, 41)), ("Color", ["Black", "Maroon", "Mustard", "Gold"])], 2790, grams=400, images=3)
prod("ladies-tilla-khussa", "Ladies Tilla Work Khussa", "Khussa", SHOES,
     "women, ladies, khussa, tilla, wedding",
     ["Khussa with golden tilla work for weddings.", "The upper is made of velvet.",
      "The sole is made of leather."],
     [("Shoe Size", rng_sizes(36, 41)), ("Color", ["Black", "Off White"])], 3290, compare=3990, grams=400)
prod("ladies-block-heel-sandal", "Ladies Block Heel Sandal", "Heels", SHOES,
     "women, ladies, heels, sandal, party",
     ["Party sandal with a stable block heel.", "Heel height is 2.5 inches.",
      "The upper is made of synthetic leather.", "The sole is made of TPR."],
     [("Size", ["6", "6.5", "7", "7.5", "8"]), ("Color", ["Black", "Beige"])], 3990, grams=550)
prod("ladies-soft-chappal", "Ladies Soft Chappal", "Chappal", SHOES,
     "women, ladies, chappal, slipper, daily wear",
     ["Soft daily-wear chappal for home and outdoor.", "The sole is made of EVA foam.",
      "It is washable with soap and water."],
     [("Shoe Size", rng_sizes(36, 41)), ("Color", ["Pink", "Black", "Brown"])], 1490, grams=250)
prod("ladies-pointed-pumps", "Ladies Pointed Pumps", "Pumps", SHOES,
     "women, ladies, pumps, office, formal",
     ["Closed pointed-toe pumps for office wear.", "Heel height is 1.5 inches.",
      "The upper is made of faux suede."],
     [("Size", ["EU 36", "EU 37", "EU 38", "EU 39", "EU 40"]), ("Color", ["Black", "Nude", "Maroon"])],
     3490, grams=500, exclude=lambda v: v[1] == "Maroon" and v[0] in ("EU 39", "EU 40"))
prod("ladies-kolhapuri-chappal", "Ladies Kolhapuri Chappal", "Chappal", SHOES,
     "women, ladies, kolhapuri, chappal, tan",
     ["Traditional kolhapuri chappal in tan leather.", "The upper and sole are made of buffalo leather."],
     [("Shoe Size", rng_sizes(36, 40))], 2190, grams=350, zero_all=True)
prod("ladies-knit-sneaker", "Women's Knit Sneaker", "Sneaker", SHOES,
     "women, ladies, sneaker, knit, joggers",
     ["Breathable knit sneaker for walking.", "The upper is made of fly-knit fabric.",
      "The sole is made of lightweight EVA.", "Weight is about 380 grams per pair."],
     [("Shoe Size", rng_sizes(36, 40)), ("Color", ["White", "Pink", "Grey"])], 3290, compare=3990, grams=380)

# ---------------- kids' shoes ----------------
prod("boys-canvas-sneaker", "Boys Canvas Sneaker", "Kids Shoes", SHOES,
     "kids, boys, sneaker, canvas, school",
     ["Canvas sneaker for boys with velcro closure.", "The upper is made of cotton canvas.",
      "The sole is made of non-slip rubber."],
     [("Shoe Size", rng_sizes(28, 34)), ("Color", ["White", "Black", "Navy"])], 1990, grams=450, images=2)
prod("girls-party-shoes", "Girls Party Shoes", "Kids Shoes", SHOES,
     "kids, girls, party, shoes, shimmer",
     ["Shimmer party shoes for girls with a bow.", "The upper is made of glitter PU.",
      "The sole is made of soft rubber."],
     [("Shoe Size", rng_sizes(24, 30)), ("Color", ["Pink", "Silver", "Gold"])], 1790, grams=300,
     exclude=lambda v: v[1] == "Gold" and int(v[0]) >= 28)
prod("kids-school-shoes", "Kids Black School Shoes", "Kids Shoes", SHOES,
     "kids, school, black, uniform",
     ["Black school shoes with velcro strap.", "The upper is made of synthetic leather.",
      "The sole is made of PVC."],
     [("Shoe Size", rng_sizes(28, 36))], 2490, grams=500)
prod("baby-soft-booties", "Baby Soft Booties", "Baby Shoes", SHOES,
     "baby, booties, newborn, soft sole",
     ["Soft-sole booties for babies who are learning to walk.", "They are made of soft cotton fabric.",
      "The sole is anti-slip."],
     [("Age", ["0-6 Months", "6-12 Months", "12-18 Months"]), ("Color", ["Pink", "Sky Blue", "White"])], 990, grams=100)
prod("kids-rain-boots", "Kids Rain Boots", "Kids Shoes", SHOES,
     "kids, rain, boots, monsoon",
     ["Waterproof rain boots for kids.", "They are made of PVC."],
     [("Shoe Size", rng_sizes(24, 30)), ("Color", ["Yellow", "Red"])], 1890, grams=500, zero_all=True)
prod("kids-light-up-sneaker", "Kids Light-Up Sneaker", "Kids Shoes", SHOES,
     "kids, sneaker, led, light up",
     ["Sneaker with LED lights in the sole.", "The lights charge with a USB cable.",
      "A USB charging cable is included in the box."],
     [("Shoe Size", rng_sizes(22, 28)), ("Color", ["Multi", "Black"])], 2690, compare=3290, grams=400)

# ---------------- kids' clothing ----------------
prod("girls-cotton-frock", "Girls Cotton Frock", "Frock", KIDS,
     "kids, girls, frock, cotton, summer",
     ["Summer frock for girls.", "It is made of 100% cotton.", "It has a back zip.",
      "Machine wash cold and do not bleach."],
     [("Age", ["2-3Y", "3-4Y", "4-5Y", "5-6Y"]), ("Color", ["Pink", "Yellow", "Sky Blue"])], 1890, grams=200, images=2)
prod("girls-lawn-frock", "Girls Printed Lawn Frock", "Frock", KIDS,
     "kids, girls, frock, lawn, printed",
     ["Printed lawn frock with lace trim.", "It is made of soft lawn fabric.", "Hand wash separately."],
     [("Age", ["2-3Y", "3-4Y", "4-5Y", "5-6Y", "6-7Y"]), ("Color", ["Pink", "Mint"])], 1690, grams=180)
prod("girls-party-frock", "Girls Party Frock", "Frock", KIDS,
     "kids, girls, frock, party, wedding, net",
     ["Net party frock with sequins for weddings.", "The lining is made of cotton.",
      "Length is 28 inches for 6-7 Years.", "Dry clean only."],
     [("Age", ["4-5 Years", "6-7 Years", "8-9 Years", "10-11 Years"]), ("Color", ["Maroon", "Off White"])],
     lambda v: 3990 if v[0] in ("4-5 Years", "6-7 Years") else 4490, compare=None, grams=350, images=2)
prod("boys-kurta-shalwar", "Boys Kurta Shalwar", "Kurta Shalwar", KIDS,
     "kids, boys, kurta, shalwar, eid",
     ["Two-piece kurta shalwar for boys.", "It is made of wash and wear fabric.",
      "The set includes a kurta and a shalwar.", "Machine wash at 30 degrees."],
     [("Age", ["4-5 Years", "6-7 Years", "8-9 Years", "10-11 Years", "12-13 Years"]), ("Color", ["White", "Sky Blue", "Black"])],
     2490, compare=2990, grams=400)
prod("boys-polo-tshirt", "Boys Polo T-Shirt", "T-Shirt", KIDS,
     "kids, boys, polo, t-shirt",
     ["Polo t-shirt for boys.", "It is made of cotton pique.", "It has a two-button placket."],
     [("Age", ["2-3Y", "4-5Y", "6-7Y", "8-9Y", "10-11Y"]), ("Color", ["Navy", "Red", "Green"])], 1290, grams=180)
prod("boys-denim-jeans", "Boys Denim Jeans", "Jeans", KIDS,
     "kids, boys, jeans, denim",
     ["Blue denim jeans with an adjustable waist.", "It is made of stretch denim."],
     [("Age", ["4-5Y", "6-7Y", "8-9Y", "10-11Y", "12-13Y"])], 2190, grams=400)
prod("kids-night-suit", "Kids Cotton Night Suit", "Night Suit", KIDS,
     "kids, night suit, pajama, cotton",
     ["Two-piece night suit with shirt and pajama.", "It is made of soft cotton jersey."],
     [("Age", ["2-3Y", "4-5Y", "6-7Y"]), ("Style", ["Half Sleeve", "Full Sleeve"]), ("Color", ["Blue", "Pink"])],
     lambda v: 1590 if v[1] == "Half Sleeve" else 1790, grams=250,
     exclude=lambda v: v[1] == "Full Sleeve" and v[0] == "2-3Y")
prod("baby-romper-pack", "Baby Romper Pack of 3", "Romper", KIDS,
     "baby, romper, newborn, pack of 3",
     ["Pack of 3 rompers in assorted colours.", "They are made of 100% cotton.",
      "They have snap buttons for easy nappy change."],
     [("Size", ["0-3 Months", "3-6 Months", "6-9 Months", "9-12 Months"])], 2290, grams=300)
prod("kids-winter-hoodie", "Kids Fleece Hoodie", "Hoodie", KIDS,
     "kids, hoodie, winter, fleece",
     ["Zip-up hoodie for winter.", "It is made of brushed fleece.",
      "Size S fits 4-5 years, M fits 6-7 years, L fits 8-9 years and XL fits 10-11 years."],
     [("Size", ["S", "M", "L", "XL"]), ("Color", ["Maroon", "Grey", "Navy"])], 2590, compare=3290, grams=450)
prod("girls-leggings-pack", "Girls Leggings Pack", "Leggings", KIDS,
     "kids, girls, leggings, tights",
     ["Stretchy leggings in assorted colours.", "They are made of cotton lycra."],
     [("Pack", ["Pack of 2", "Pack of 3"]), ("Age", ["2-3Y", "4-5Y", "6-7Y"])],
     lambda v: 1190 if v[0] == "Pack of 2" else 1690, grams=200)
prod("kids-school-socks", "Kids School Socks", "Socks", KIDS,
     "kids, socks, school, uniform",
     ["Ankle socks for school.", "They are made of cotton with spandex.", "Free Size fits 5 to 10 years."],
     [("Pack", ["Pack of 3", "Pack of 6"]), ("Color", ["White", "Black"])],
     lambda v: 690 if v[0] == "Pack of 3" else 1290, grams=150)
prod("baby-woolen-cap", "Baby Woolen Cap", "Cap", KIDS,
     "baby, cap, winter, woolen",
     ["Knitted woolen cap for babies.", "It has a soft pom pom on top."],
     [("Size", ["Free Size"]), ("Color", ["Pink", "Sky Blue", "White"])], 590, grams=60)

# ---------------- home textiles ----------------
prod("cotton-bedsheet-set", "Plain Cotton Bedsheet Set", "Bedsheet", BED,
     "home, bedsheet, bed sheet, cotton, plain",
     ["Plain dyed bedsheet set.", "It is made of 100% cotton with 180 thread count.",
      "The King size bedsheet is 90 x 100 inches.", "The Queen size bedsheet is 78 x 90 inches.",
      "The set includes 1 bedsheet and 2 pillow covers.", "Machine wash in warm water."],
     [("Size", ["King", "Queen", "Single"]), ("Color", ["White", "Sky Blue", "Grey"])],
     lambda v: {"King": 4990, "Queen": 4490, "Single": 2990}[v[0]], grams=1200, images=2)
prod("printed-bedsheet-set", "Floral Printed Bedsheet Set", "Bedsheet", BED,
     "home, bedsheet, bed sheet, printed, floral",
     ["Floral printed bedsheet set.", "It is made of cotton blend fabric.",
      "The set includes 1 bedsheet and 2 pillow covers."],
     [("Size", ["King", "Queen"]), ("Color", ["Multi", "Maroon"])],
     lambda v: 3990 if v[0] == "King" else 3490, compare=lambda v: 4990 if v[0] == "King" else 4490, grams=1100)
prod("cotton-bath-towel", "Cotton Bath Towel", "Towel", BED,
     "home, towel, bath, cotton",
     ["Soft and absorbent terry towel.", "It is made of 100% cotton.",
      "The bath towel is 27 x 54 inches.", "The hand towel is 16 x 27 inches.",
      "Wash before first use."],
     [("Size", ["Hand Towel", "Bath Towel"]), ("Colour", ["White", "Maroon", "Sky Blue", "Grey"])],
     lambda v: 690 if v[0] == "Hand Towel" else 1490, grams=500)
prod("towel-gift-set", "Towel Gift Set", "Towel", BED,
     "home, towel, gift set",
     ["Towel set packed in a gift box.", "The Pack of 3 has 1 bath towel, 1 hand towel and 1 face towel.",
      "The Pack of 6 has 2 of each towel.", "It is made of 100% cotton."],
     [("Pack", ["Pack of 3", "Pack of 6"])], lambda v: 2490 if v[0] == "Pack of 3" else 4590,
     compare=lambda v: 2990 if v[0] == "Pack of 3" else 5490, grams=1500)
prod("quilt-cover", "Quilt Cover", "Quilt Cover", BED,
     "home, quilt cover, razai cover, duvet cover",
     ["Quilt cover with zip closure.", "It is made of cotton satin."],
     [("Size", ["King", "Single"]), ("Colour", ["Off White", "Mustard"])],
     lambda v: 3290 if v[0] == "King" else 2490, grams=900)
prod("cushion-covers", "Velvet Cushion Covers", "Cushion Cover", BED,
     "home, cushion, covers, velvet",
     ["Set of velvet cushion covers.", "Each cover is 16 x 16 inches.", "Cushion fillers are not included."],
     [("Pack", ["Pack of 5"]), ("Colour", ["Maroon", "Mustard", "Grey"])], 2290, grams=600)
prod("prayer-mat", "Velvet Prayer Mat", "Prayer Mat", BED,
     "home, prayer mat, jaye namaz, janamaz",
     ["Soft velvet prayer mat with foam padding.", "Size is 27 x 45 inches."],
     [("Title", ["Default Title"])], 1990, grams=700, images=2)
prod("baby-blanket", "Baby Fleece Blanket", "Blanket", BED,
     "baby, blanket, fleece, winter",
     ["Warm fleece blanket for babies.", "Size is 30 x 40 inches.", "Machine washable."],
     [("Color", ["Pink", "Sky Blue", "White"])], 1590, grams=400)
prod("mattress-protector", "Waterproof Mattress Protector", "Mattress Protector", BED,
     "home, mattress protector, waterproof",
     ["Fitted mattress protector with elastic corners.", "It is waterproof.",
      "It fits mattresses up to 10 inches deep."],
     [("Size", ["King", "Queen", "Single"])], lambda v: {"King": 3490, "Queen": 2990, "Single": 2290}[v[0]], grams=800)
prod("cotton-bathrobe", "Cotton Bathrobe", "Bathrobe", BED,
     "home, bathrobe, gown, towel",
     ["Shawl-collar bathrobe with a belt and two pockets.", "It is made of cotton terry."],
     [("Size", ["M", "L", "XL", "XXL"]), ("Colour", ["White", "Grey"])], 3990, grams=1000)

# ---------------- cosmetics / care ----------------
prod("baby-lotion", "Gentle Baby Lotion", "Lotion", BEAUTY,
     "baby, lotion, skin care",
     ["Gentle lotion for baby skin.", "It contains aloe vera and almond oil.", "It is paraben free."],
     [("Volume", ["100ml", "200ml"])], lambda v: 650 if v[0] == "100ml" else 1150, grams=250)
prod("oud-attar", "Oud Attar", "Attar", BEAUTY,
     "attar, perfume, oud, alcohol free",
     ["Long-lasting oud attar.", "It is alcohol free.", "It comes in a glass roll-on bottle."],
     [("Volume", ["6ml", "12ml"])], lambda v: 1490 if v[0] == "6ml" else 2490, grams=80)
prod("herbal-hair-oil", "Herbal Hair Oil", "Hair Oil", BEAUTY,
     "hair oil, herbal, amla",
     ["Herbal hair oil with amla, coconut and rosemary.", "Apply to the scalp twice a week."],
     [("Volume", ["100ml", "200ml"])], lambda v: 790 if v[0] == "100ml" else 1390, grams=250)
prod("lip-balm-pack", "Fruity Lip Balm", "Lip Balm", BEAUTY,
     "lip balm, lips, beauty",
     ["Moisturising lip balm in strawberry, cherry and mango flavours.", "Each stick is 4.5 grams."],
     [("Pack", ["Pack of 1", "Pack of 3"])], lambda v: 450 if v[0] == "Pack of 1" else 1190, grams=50)
prod("velvet-body-mist", "Velvet Body Mist", "Body Mist", BEAUTY,
     "body mist, perfume, fragrance, women",
     ["Light floral body mist.", "It lasts 4 to 6 hours."],
     [("Volume", ["50ml", "100ml"])], lambda v: 1290 if v[0] == "50ml" else 1990, compare=lambda v: 1590 if v[0] == "50ml" else 2490, grams=180)
prod("herbal-surma", "Herbal Surma", "Surma", BEAUTY,
     "surma, kajal, eyes",
     ["Traditional herbal surma in a brass container.", "Net weight is 3 grams."],
     [("Title", ["Default Title"])], 490, grams=40)

# ---------------- shoe care / accessories ----------------
prod("shoe-care-kit", "Shoe Care Kit", "Shoe Care", SHOES,
     "shoe care, polish, brush, kit",
     ["Complete kit for leather shoes.", "The box includes 2 polish tins, 1 brush and 1 cleaning cloth.",
      "The polish colours are black and brown."],
     [("Title", ["Default Title"])], 1290, grams=400)
prod("gel-insoles", "Gel Insoles", "Insoles", SHOES,
     "insoles, gel, comfort, shoe care",
     ["Gel insoles for all-day comfort.", "Size S fits shoe sizes 36 to 39.",
      "Size M fits shoe sizes 40 to 43.", "Size L fits shoe sizes 44 to 46.", "They can be trimmed to fit."],
     [("Size", ["S", "M", "L"])], 890, grams=150)
prod("men-cotton-socks", "Men's Cotton Socks", "Socks", CLOTH,
     "men, socks, cotton",
     ["Everyday crew socks for men.", "They are made of combed cotton."],
     [("Pack", ["Pack of 3", "Pack of 6"]), ("Color", ["Black", "Grey", "Multi"]), ("Size", ["Free Size"])],
     lambda v: 890 if v[0] == "Pack of 3" else 1590, grams=200)

# ---------------- build rows ----------------
rng = random.Random(20240607)
MANUAL_QTY = {
    # a few forced values so the question set has every case
    ("men-peshawari-chappal", ("43", "Brown")): 0,
    ("men-peshawari-chappal", ("43", "Black")): 2,
    ("ladies-embroidered-khussa", ("38", "Black")): 5,
    ("ladies-tilla-khussa", ("38", "Black")): 3,
    ("boys-canvas-sneaker", ("32", "White")): 0,
    ("girls-cotton-frock", ("4-5Y", "Pink")): 6,
    ("girls-lawn-frock", ("4-5Y", "Pink")): 4,
    ("cotton-bedsheet-set", ("King", "White")): 9,
    ("printed-bedsheet-set", ("King", "Multi")): 7,
    ("men-black-strap-sandal", ("42",)): 11,
    ("men-velcro-comfort-sandal", ("42", "Black")): 8,
    ("herbal-surma", ("Default Title",)): 25,
    ("prayer-mat", ("Default Title",)): 14,
    ("shoe-care-kit", ("Default Title",)): 0,
}

def code(s):
    return "".join(ch for ch in s.upper() if ch.isalnum())[:6]

rows = []
for p in P:
    names = [n for n, _ in p["options"]]
    combos = [c for c in itertools.product(*[vals for _, vals in p["options"]]) if not p["exclude"](c)]
    first = True
    for c in combos:
        key = (p["handle"], c)
        if key in MANUAL_QTY:
            q = MANUAL_QTY[key]
        elif p["zero_all"]:
            q = 0
        else:
            r = rng.random()
            q = 0 if r < 0.25 else (rng.randint(1, 3) if r < 0.35 else rng.randint(4, 40))
        price = p["price"](c) if callable(p["price"]) else p["price"]
        comp = p["compare"](c) if callable(p["compare"]) else p["compare"]
        row = {h: "" for h in HEADER}
        row["Handle"] = p["handle"]
        for i in range(3):
            if i < len(c):
                if first:
                    row[f"Option{i+1} Name"] = names[i]
                row[f"Option{i+1} Value"] = c[i]
        sku = "NQ-" + code(p["handle"].replace("-", ""))[:6] + "".join("-" + code(x) for x in c if x != "Default Title")
        row.update({"Variant SKU": sku, "Variant Grams": str(p["grams"]), "Variant Inventory Tracker": "shopify",
                    "Variant Inventory Qty": str(q), "Variant Inventory Policy": "deny",
                    "Variant Fulfillment Service": "manual", "Variant Price": f"{price:.2f}",
                    "Variant Compare At Price": f"{comp:.2f}" if comp else "",
                    "Variant Requires Shipping": "TRUE", "Variant Taxable": "FALSE", "Variant Weight Unit": "kg"})
        if first:
            row.update({"Title": p["title"],
                        "Body (HTML)": "".join(f"<p>{s}</p>" for s in p["body"]),
                        "Vendor": VENDOR, "Product Category": p["cat"], "Type": p["type"], "Tags": p["tags"],
                        "Published": "TRUE", "Image Src": f"https://nanhayqadam.pk/images/{p['handle']}-1.jpg",
                        "Image Position": "1", "Image Alt Text": p["title"], "Gift Card": "FALSE",
                        "Status": "active"})
            first = False
        rows.append(row)
    for k in range(2, p["images"] + 1):
        row = {h: "" for h in HEADER}
        row.update({"Handle": p["handle"], "Image Src": f"https://nanhayqadam.pk/images/{p['handle']}-{k}.jpg",
                    "Image Position": str(k), "Image Alt Text": p["title"]})
        rows.append(row)

out = os.path.join(os.path.dirname(__file__), "..", "catalog.csv")
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=HEADER)
    w.writeheader()
    w.writerows(rows)
print("products", len(P), "rows", len(rows))
