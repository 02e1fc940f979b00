"""食堂 models: meal slots, dishes and menus; wallets and their ledger; orders and pickup;
walk-in sales; food-safety records (workers, morning checks, samples, purchase inspections)."""

from .food_safety import (
    CanteenWorker,
    FoodSafetyPlan,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
)
from .menus import Dish, MealSlot, Menu, MenuItem
from .orders import MealOrder, MealOrderLine, PickupDevice, WalkInSale
from .wallets import LedgerEntry, OnlinePayment, Wallet, WalletAdjustment

__all__ = [
    "CanteenWorker",
    "Dish",
    "FoodSafetyPlan",
    "LedgerEntry",
    "MealOrder",
    "MealOrderLine",
    "MealSlot",
    "Menu",
    "MenuItem",
    "MorningCheck",
    "OnlinePayment",
    "PickupDevice",
    "PurchaseInspection",
    "SampleRetention",
    "WalkInSale",
    "Wallet",
    "WalletAdjustment",
]
