module example.com/fmtkit

go 1.22

require example.com/textkit v1.0.0
