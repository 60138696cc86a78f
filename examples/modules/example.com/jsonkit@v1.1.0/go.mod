module example.com/jsonkit

go 1.22

require example.com/asmkit v1.1.0
