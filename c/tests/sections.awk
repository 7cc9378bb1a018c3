# Drop the transcript sections that OpenSSL 3.0 does not have: a section
# runs from a "== name [3.5+]" line to the next "== " line.
/^== / { skip = ($0 ~ /\[3\.5\+\]$/) }
!skip
