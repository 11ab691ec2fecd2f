"""Sample objects for the route matrix: one of each kind, in the unit HR's scope."""

from app.auth import services


def build(db, create_user, create_organization) -> dict:
    unit = create_organization(name="UBND huyện Mẫu", plan_level="district")
    users = {
        "official": create_user("official"),
        "trainer": create_user("trainer"),
        "unit_hr": create_user("unit_hr", organization=unit),
        "province_hr": create_user("province_hr"),
        "admin": create_user("admin"),
    }
    other = services.create_user("bystander", "bystander-pass-1", ["official"])
    db.session.commit()
    return {"users": users, "user": other, "unit": unit}
