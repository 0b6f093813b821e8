"""make: what is made — an output's HTML (`html`), its PDF laid out by WeasyPrint (`pdf`) and
repaired by a typesetter's rules (`typeset`), tagged and made conformant (`structure`,
`standards`), finished for print (`finish`, `impose`), joined with a cover letter (`letter`,
`join`), and checked after the fact (`audit`, `preflight`).
"""
