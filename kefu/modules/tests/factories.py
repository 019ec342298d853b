"""Factories for custom modules. A module is defined through the service, as an administrator would,
so that it has its default role access; records are created through the service too (derived columns)."""

from __future__ import annotations

from typing import Any

from kefu.core.actors import Actor, Source
from kefu.modules.inputs import FieldInput
from kefu.modules.models import CustomModule, Record
from kefu.modules.services import module_create, record_create

VEHICLE_FIELDS = (
    FieldInput(key="plate", label="车牌号", label_en="Licence plate", type="text", required=True),
    FieldInput(
        key="make", label="品牌", label_en="Make", type="picklist", options=("丰田", "大众", "比亚迪")
    ),
    FieldInput(key="model", label="型号", label_en="Model", type="text"),
    FieldInput(
        key="state",
        label="租赁状态",
        label_en="Rental state",
        type="picklist",
        options=("空闲", "出租中", "维修中"),
    ),
    FieldInput(key="customer", label="客户", label_en="Customer", type="lookup", lookup_module="contacts"),
    FieldInput(
        key="breakdowns", label="故障工单", label_en="Breakdowns", type="lookup", lookup_module="tickets"
    ),
)


def vehicles_module(fields: tuple[FieldInput, ...] = VEHICLE_FIELDS, key: str = "vehicles") -> CustomModule:
    return module_create(
        actor=Actor.system(), source=Source.IMPORT, key=key, name="车辆", name_en="Vehicles", fields=fields
    )


def record(module_key: str = "vehicles", **values: Any) -> Record:
    return record_create(actor=Actor.system(), source=Source.IMPORT, module_key=module_key, values=values)
