"""A member's whole life across areas: joining (an account and its profile), changing the
settings whose effects reach the network (S3), leaving (every area's data, U4).

accounts is the lowest domain area and may not import profiles or network, and profiles may
not write network's follows; the steps that span them meet here, one transaction each.
docs/architecture.md, "Areas and their order".
"""
