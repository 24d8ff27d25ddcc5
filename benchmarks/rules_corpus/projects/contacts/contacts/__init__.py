"""A small CRM contact book: normalization, duplicate detection, merging and export."""

from contacts.book import ContactBook, DuplicateId
from contacts.model import Company, Contact
from contacts.normalize import normalize_email, normalize_name, normalize_phone

__all__ = [
    "Company",
    "Contact",
    "ContactBook",
    "DuplicateId",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
]
