"""Every guided flow comes back from its stored JSON as the same typed record."""

from __future__ import annotations

import json

from handlers.flows import (
    EvidencePress,
    GuidedUpdate,
    ReturnReason,
    SpendConfirm,
    Suggested,
    Walk,
    decode,
    encode,
)


def test_every_flow_survives_its_stored_form() -> None:
    flows = [
        GuidedUpdate("telegram:1", "n1", "STR114/64", 2, "confirm", "130|x|t", value="131"),
        SpendConfirm("line:U1", "n2", "STR114/64", "7000000", "เกินงบ"),
        Walk(
            "telegram:1",
            "n3",
            "2564-Q1",
            (("STR114/64", 1), ("STR113/64", 2)),
            (("STR114/64#1", "ขอหลักฐาน"),),
            index=1,
            recorded=1,
        ),
        ReturnReason("telegram:2", "n4", 17),
        EvidencePress("telegram:1", "n5", "v12", "2021-01-11T09:00:00+07:00"),
        Suggested("telegram:1", "n6", "spend", ("STR114/64", "50000")),
        Suggested("telegram:1", "n7", "undo", entry=(12, "spending")),
    ]
    for flow in flows:
        stored = json.loads(json.dumps(encode(flow)))
        assert decode(stored) == flow, flow
    assert decode({"flow": "walk", "chat": "x"}) is None  # an older row that no longer fits
    assert decode({"flow": "nothing"}) is None
