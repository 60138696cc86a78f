module example.com/relay/sdk

go 1.22

require (
	example.com/ckit v1.0.0
	example.com/textkit v1.1.0
)
