# SPDX-License-Identifier: ISC
# detect.ps1 - Intune Remediations, detection script: is this device as
# the cmremedy profile wants it?  Intune runs the remediation script when
# detection exits 1, and keeps only the last ~2,048 characters of output.
#   exit 0  compliant (cmremedy check exit 0)
#   exit 1  not compliant: remediation runs (cmremedy check exit 1)
#   other   cmremedy's own code (2 bad profile, 3 system error): shown as a
#           detection failure, and no remediation runs on a broken setup.
# Remediations take no parameters: set the two paths below before upload.
$Cmremedy = Join-Path $env:ProgramFiles 'cmremedy\cmremedy.exe'
$CmProfile  = Join-Path $env:ProgramFiles 'cmremedy\profiles\cmg-connector-verbose-on.ini'

$out = & $Cmremedy check $CmProfile 2>&1
$rc = $LASTEXITCODE
# cmremedy check prints its verdict last ("compliant" or "not compliant:
# N setting(s) differ"); errors come on stderr, merged above.
$last = ($out | Select-Object -Last 1) -as [string]
if ($last.Length -gt 2000) { $last = $last.Substring(0, 2000) }
Write-Output "cmremedy check (exit $rc): $last"
exit $rc
