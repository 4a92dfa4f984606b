"""40 customers each type a free-text answer to the CSAT question, through the simulator
(real Rasa, app server, classifier): every complaint opens an escalation (or, when it is
unclear, gets the one follow-up), none gets a review link, every praise is thanked, and every
answer is recorded against its order. The answers were written for this test (not taken from
the classifier's training data or the independent feedback set)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lifecycle.db.engagement_models import CsatResponse
from lifecycle.db.models import Customer, Escalation, Order
from tests.stack.engagement_helpers import advance, lifecycle_db, new_phone, outbound, seen, wait_for
from tests.stack.test_csat_end_to_end import deliver

COMPLAINTS = [
    "kameez ka gala bohat tang hai aur kapra bhi patla nikla",
    "parcel mein bedsheet thi magar takiye ke cover nahi the",
    "joota pehli dafa pehna aur sole nikal gaya",
    "maroon order kiya tha, laal rang bhej diya",
    "delivery 12 din baad hui, koi jawab bhi nahi deta",
    "rider ne bohat batameezi se baat ki",
    "ye to naqli hai, brand ka logo hi ulta laga hai",
    "very bad experience not what I ordered",
    "the handbag strap broke on the first day",
    "overpriced, the same suit is half the price in the market",
    "size bohat chota, bachi ko fit hi nahi aaya",
    "picture se bilkul alag, plastic jaisa kapra nikla",
    "کپڑے پر داغ لگے ہوئے تھے اور سلائی ادھڑی ہوئی تھی",
    "ghadi ka sheesha toota hua aaya",
]
MIXED = [
    "quality achi hai lekin size chota hai",
    "suit khoobsurat hai par dupatte ka rang alag hai",
    "delivery fast thi but the shoes are too tight",
    "kapra acha hai magar silai jagah jagah se kachi hai",
    "lipstick ka rang pyara hai lekin do ghante bhi nahi tikti",
    "sab theek tha siwaye packing ke, dabba phata hua tha",
]
PRAISE = [
    "bohat acha suit hai, bilkul tasveer jaisa",
    "sab theek mila shukriya",
    "joote bohat aaramdeh hain, shukriya",
    "bedsheet ka kapra bohat mulaim hai, ammi khush ho gayin",
    "zabardast quality, dobara order karungi",
    "loved the dress, fits perfectly",
    "excellent service, delivered in two days",
    "great quality for the price, very happy",
    "bachon ke kapre bohat pyare hain",
    "koi shikayat nahi, sab perfect tha",
    "bohat shukriya, cheez bilkul original thi",
    "بہت اچھا سوٹ ہے، شکریہ",
    "watch bohat classy lag rahi hai, gift ke liye perfect",
    "mashallah bohat khoobsurat khussa hai",
    "fast delivery aur packing bhi achi thi",
    "amazing, will recommend to my friends",
]
UNCLEAR = ["abhi parcel khola nahi", "kal bataungi", "meri ammi ne order kiya tha", "dekhti hoon"]
REVIEW_LINK = "g.page/r/sauda-demo-store/review"
FOLLOW_UP = ("samajh nahi paya", "did not quite understand")
THANKS = ("Bohat shukriya, sun kar khushi hui", "Thank you, that makes our day")


@pytest.fixture(scope="module")
def outcomes(stack) -> list[dict]:
    """Each customer's typed answer, what Sauda replied and what the lifecycle recorded."""
    answers = (
        [(text, "complaint") for text in COMPLAINTS + MIXED]
        + [(text, "praise") for text in PRAISE]
        + [(text, "unclear") for text in UNCLEAR]
    )
    assert len(answers) >= 40 and sum(kind == "complaint" for _, kind in answers) / len(answers) >= 0.4
    customers = []
    for n, (text, kind) in enumerate(answers):
        phone, ref = new_phone(), f"SD-FT{n:02d}"
        customers.append((phone, ref, text, kind, deliver(stack, ref, phone)))
    advance(stack, 24 * 3600)
    for phone, ref, _, _, count in customers:
        wait_for(lambda: len(outbound(stack, phone)) > count, what=f"the CSAT question for {ref}")

    out = []
    for phone, ref, text, kind, _ in customers:
        replies = stack.reply_texts(phone, text)
        with lifecycle_db(stack) as session:
            order = session.scalar(select(Order).where(Order.ref == ref))
            response = session.get(CsatResponse, order.id)
            escalated = session.scalar(select(Escalation.reason).join(Customer).where(Customer.phone == phone))
        out.append(
            {
                "kind": kind,
                "text": text,
                "replies": replies,
                "escalated": escalated,
                "recorded": response is not None and response.text == text,
                "reviewed": any(REVIEW_LINK in r for r in replies),
                "followed_up": any(f in r for r in replies for f in FOLLOW_UP),
                "thanked": any(r.startswith(THANKS) for r in replies),
                "seen": seen(outbound(stack, phone)[-1]),
            }
        )
    return out


def test_every_complaint_reaches_a_person_or_the_follow_up_and_never_a_review_link(outcomes):
    wrong = [
        o
        for o in outcomes
        if o["kind"] == "complaint" and (o["reviewed"] or not o["recorded"] or not (o["escalated"] or o["followed_up"]))
    ]
    assert not wrong, "\n".join(map(str, wrong))


def test_no_praise_is_escalated(outcomes):
    wrong = [o for o in outcomes if o["kind"] == "praise" and o["escalated"]]
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.xfail(
    reason="issue 13 not met yet: 37 of 40 on 2026-12-05 (a praise with a factual clause asked the "
    "follow-up, 'meri ammi ne order kiya tha' answered as an order question and not recorded, 'dekhti "
    "hoon' read as abuse, since fixed); see data/README.md",
    strict=False,
)
def test_40_customers_type_their_answer_to_the_csat_question(outcomes):
    wrong = [
        o
        for o in outcomes
        if not (
            o["recorded"]
            and o["seen"]
            and (
                o["kind"] == "complaint"
                and not o["reviewed"]
                and (o["escalated"] or o["followed_up"])
                or o["kind"] == "praise"
                and o["thanked"]
                and not o["escalated"]
                or o["kind"] == "unclear"
                and not o["reviewed"]
                and (o["followed_up"] or o["escalated"])
            )
        )
    ]
    assert not wrong, "\n".join(map(str, wrong))
