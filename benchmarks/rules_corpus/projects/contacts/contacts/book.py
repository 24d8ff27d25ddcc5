"""The contact book the sales team works in."""

from __future__ import annotations

from contacts.model import Company, Contact
from contacts.normalize import normalize_email, normalize_name, normalize_phone


class DuplicateId(ValueError):
    pass


class ContactBook:
    def __init__(self, companies: list[Company] | None = None) -> None:
        self.contacts: list[Contact] = []
        self.companies: list[Company] = list(companies or [])

    def add(self, contact: Contact) -> None:
        for existing in self.contacts:
            if existing.id == contact.id:
                raise DuplicateId(f"contact id {contact.id} already used")
        self.contacts.append(contact)

    def get(self, contact_id: int) -> Contact:
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        raise KeyError(contact_id)

    def remove(self, contact_id: int) -> Contact:
        contact = self.get(contact_id)
        self.contacts.remove(contact)
        return contact

    def company_name(self, contact: Contact) -> str:
        for company in self.companies:
            if company.id == contact.company_id:
                return company.name
        return ""

    def same_person(self, a: Contact, b: Contact) -> bool:
        email_a, email_b = normalize_email(a.email), normalize_email(b.email)
        if email_a and email_a == email_b:
            return True
        phone_a, phone_b = normalize_phone(a.phone), normalize_phone(b.phone)
        if phone_a and phone_a == phone_b:
            return True
        name_a, name_b = normalize_name(a.full_name), normalize_name(b.full_name)
        return bool(name_a) and name_a == name_b and a.city.lower() == b.city.lower() != ""

    def find_duplicates(self) -> list[tuple[int, int]]:
        """(earlier id, later id) for every pair that looks like the same person."""
        pairs = []
        for i, a in enumerate(self.contacts):
            for b in self.contacts[i + 1 :]:
                if self.same_person(a, b):
                    pairs.append((a.id, b.id))
        return pairs

    def merge(self, keep_id: int, drop_id: int) -> Contact:
        keep = self.get(keep_id)
        drop = self.remove(drop_id)
        keep.email = keep.email or drop.email
        keep.phone = keep.phone or drop.phone
        keep.city = keep.city or drop.city
        if keep.company_id is None:
            keep.company_id = drop.company_id
        return keep

    def merge_all_duplicates(self) -> int:
        """Merges every later duplicate into its earliest match; returns how many were merged."""
        merged = 0
        for keep_id, drop_id in self.find_duplicates():
            try:
                self.get(keep_id)
                self.get(drop_id)
            except KeyError:
                continue
            self.merge(keep_id, drop_id)
            merged += 1
        return merged

    def by_company(self) -> dict[str, list[int]]:
        result: dict[str, list[int]] = {}
        for company in self.companies:
            ids = [c.id for c in self.contacts if c.company_id == company.id]
            if ids:
                result[company.name] = ids
        return result
