"""Who publishes the site: its name, the provider and the person responsible (§ 5 DDG,
§ 18 Abs. 2 MStV), the logo, and the legal pages (Impressum, Datenschutzerklärung,
Erklärung zur Barrierefreiheit). Chefredaktion edits them in the admin."""
