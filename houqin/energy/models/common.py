from houqin.core.uploads import upload_to


def evidence_path(instance, filename):
    return upload_to("energy/evidence", filename)


def event_photo_path(instance, filename):
    return upload_to("energy/events", filename)


def inspection_photo_path(instance, filename):
    return upload_to("energy/sorting", filename)
