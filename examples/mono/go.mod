module example.com/mono

go 1.26.0

require (
	example.com/cloudkit v1.0.0
	example.com/legacy v0.0.0
	example.com/oldkit v2.0.0+incompatible
	example.com/smithykit v1.0.0
	example.com/textkit v1.1.0
)

// legacy is vendored into the repository and never published.
replace example.com/legacy => ./third_party/legacy
