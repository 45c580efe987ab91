"""The second sample producer: packages made the way applicants make them (Word template, LibreOffice
PDF, print, stamp, sign, scan or photograph). See samples/README.md."""
