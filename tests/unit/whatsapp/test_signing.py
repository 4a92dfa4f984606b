from whatsapp.signing import sign, signature_is_valid, token_matches

BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def test_signature_matches_meta_format():
    # computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac secret
    expected = "sha256=56a21e195072d3c07ec2bbf608e0dfeaf322e1917ec30f0cb399c2a43588216e"
    assert sign(BODY, "secret") == expected


def test_valid_signature_verifies():
    assert signature_is_valid(BODY, sign(BODY, "s3cret"), "s3cret")


def test_forged_missing_or_malformed_signatures_fail():
    assert not signature_is_valid(BODY, sign(BODY, "other"), "s3cret")
    assert not signature_is_valid(BODY, None, "s3cret")
    assert not signature_is_valid(BODY, sign(BODY, "s3cret")[7:], "s3cret")  # no "sha256=" prefix
    assert not signature_is_valid(BODY + b" ", sign(BODY, "s3cret"), "s3cret")


def test_an_empty_secret_never_verifies():
    assert not signature_is_valid(BODY, sign(BODY, ""), "")


def test_verify_token():
    assert token_matches("abc", "abc")
    assert not token_matches("abd", "abc")
    assert not token_matches(None, "abc")
    assert not token_matches("", "")


def test_non_ascii_headers_are_refused_not_raised():
    """hmac.compare_digest raises TypeError on non-ASCII str: that was a 500 for any caller."""
    assert not signature_is_valid(BODY, "sha256=é" + "0" * 63, "s3cret")
    assert not token_matches("abcé", "abc")
