"""``workbench pins``: a reviewer's pinned constructs, the number keys 1-9 of the coding screen."""
from __future__ import annotations

from .options import add_json, add_reviewer, command, construct, open_project
from .output import print_json


def slot_number(text: str) -> int:
    """A pin number as typed (1 to 9); refuses anything else with a message."""
    from ..store.pins import PinError, check_slot

    text = str(text).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        raise PinError(f"pin numbers are 1 to 9, not {text!r}")
    return check_slot(int(text))


def cmd_pins(args) -> None:
    from ..store import pins

    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer)
        # everything is checked before anything is written: a refused command changes nothing
        clear = [slot_number(n) for n in args.clear or []]
        wanted = [(slot_number(n), construct(project, name)) for n, name in args.set or []]
        with project.db.atomic():
            for slot in clear:
                pins.unpin(project.db, who, slot)
            for slot, c in wanted:
                pins.pin(project.db, who, c.id, slot)
        found = pins.pinned(project.db, who)
        if args.json:
            print_json({"reviewer": args.reviewer, "pins": [
                {"number": slot, "construct": c.name, "order": c.order} for slot, c in found]})
            return
        if not found:
            print(f"{args.reviewer} has no pinned constructs: pin one with --set N CONSTRUCT "
                  "(or p in the Constructs panel of the coding screen)")
            return
        print(f"{args.reviewer}'s number keys on the coding screen:")
        for slot, c in found:
            print(pins.describe(slot, c))


def register(commands, exports) -> None:
    p = command(commands, "pins", cmd_pins, "list or change a reviewer's pinned constructs (number keys 1-9)")
    add_reviewer(p, required=True)
    p.add_argument("--set", nargs=2, action="append", metavar=("N", "CONSTRUCT"),
                   help="pin the construct to number N (1-9); repeat for more")
    p.add_argument("--clear", action="append", metavar="N", help="unpin number N; repeat for more")
    add_json(p)
