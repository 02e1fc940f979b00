"""Deadlines of 《党政机关办公用房管理办法》(中办发〔2017〕70号), DOMAIN.md §1, in one place."""

# A departing or retiring staff member's office is taken back within one month.
OFFICE_RETURN_MONTHS = 1
# Leases: the space managers are told this many days before a lease ends.
LEASE_EXPIRY_NOTICE_DAYS = 60
