"""dtpc: reads scanned 制造业数字化转型促进中心 application packages into checked structured data."""
