from houqin.core.uploads import upload_to


def floor_plan_path(instance, filename):
    return upload_to("space/plans", filename)


def ownership_document_path(instance, filename):
    return upload_to("space/ownership", filename)
