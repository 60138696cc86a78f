module example.com/gateway/sdk

go 1.22

require example.com/textkit v1.0.0
