# vigil.observability: the two commands are `make lab` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help test test-quick molecule lab lab-down

help:
	@echo "make lab           a local lab (1 server + 2 clients in containers) with the whole stack"
	@echo "make lab-down      remove the lab"
	@echo "make test          every check, from a bare machine (lint, sanity, unit, render, integration, molecule)"
	@echo "make test-quick    lint + argument specs + unit and render tests"
	@echo "make molecule S=<scenario>   one Molecule scenario (after the set-up stages)"

lab:
	tools/lab.sh up

lab-down:
	tools/lab.sh down

test:
	tools/test.sh all

test-quick:
	tools/test.sh quick

molecule:
	VIGIL_SCENARIOS="$(S)" tools/test.sh setup docker images mirror molecule
