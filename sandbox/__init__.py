"""Where candidate code runs: the Sandbox protocol, local work trees and Docker containers."""
