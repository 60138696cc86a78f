module example.com/textkit

go 1.22

require example.com/jsonkit v1.1.0
