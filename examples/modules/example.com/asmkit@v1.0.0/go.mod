module example.com/asmkit

go 1.22
