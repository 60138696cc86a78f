module example.com/ckit

go 1.22
