"""Tests of the fleet access report."""
