; LAPOR Desk for Windows: a per-machine install of the one-folder build (dist\lapor-desk\, docs/INSTALL.md) with a
; Start-menu entry and the machine file lapor-desk.toml in the site config folder the program reads it from
; (app/machine_config.py: platformdirs' site_config_dir for "lapor-desk" by "LAPOR Desk", which on Windows is
; C:\ProgramData\LAPOR Desk\lapor-desk\). Inno Setup 6.3 or newer:
;
;   iscc /DAppVersion=0.1.0 installer\lapor-desk.iss                                   -> dist\lapor-desk-0.1.0-setup.exe
;   iscc /DAppVersion=0.1.0 /DMachineFile=C:\pemda\lapor-desk.toml installer\lapor-desk.iss   (the office's file inside)
;
; Silent, for many PCs (Inno Setup's own switches; nothing is asked, no message box waits, a reboot is never forced):
;
;   lapor-desk-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG="%TEMP%\lapor-desk-setup.log"
;   lapor-desk-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /MACHINEFILE=\\server\it\lapor-desk.toml
;
; The machine file, in this order: /MACHINEFILE=PATH at install time; else the file built in with /DMachineFile; else,
; when the PC has none yet, a commented example (lapor-desk.example.toml: every key off). Uninstalling leaves the
; machine file and every person's data (%LOCALAPPDATA%\LAPOR Desk\lapor-desk) in place.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "LAPOR Desk"
#define ConfigDir "{commonappdata}\LAPOR Desk\lapor-desk"

[Setup]
AppId={{6F1D7A52-3C1B-4E8A-9B57-5A0C2E4D1F16}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=LAPOR Desk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per machine: Program Files and the common Start menu, so every account of the PC finds it.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist
OutputBaseFilename=lapor-desk-{#AppVersion}-setup
SetupIconFile=packaging\lapor-desk.ico
UninstallDisplayIcon={app}\lapor-desk.exe
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
; An upgrade closes a running LAPOR Desk first (its store is closed cleanly, like any exit) and does not restart it.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Dirs]
Name: "{#ConfigDir}"

[Files]
; The program: everything make dist (or the Windows steps of docs/INSTALL.md) put in dist\lapor-desk\.
Source: "dist\lapor-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The machine file. Never removed by the uninstaller: IT's settings outlive a reinstall.
Source: "{param:MACHINEFILE}"; DestDir: "{#ConfigDir}"; DestName: "lapor-desk.toml"; \
    Flags: external ignoreversion uninsneveruninstall; Check: MachineFileGiven
#ifdef MachineFile
Source: "{#MachineFile}"; DestDir: "{#ConfigDir}"; DestName: "lapor-desk.toml"; \
    Flags: ignoreversion uninsneveruninstall; Check: not MachineFileGiven
#endif
Source: "installer\lapor-desk.example.toml"; DestDir: "{#ConfigDir}"; DestName: "lapor-desk.toml"; \
    Flags: onlyifdoesntexist uninsneveruninstall; Check: not MachineFileGiven and not MachineFileBuiltIn
Source: "installer\lapor-desk.example.toml"; DestDir: "{#ConfigDir}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\lapor-desk.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\lapor-desk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\lapor-desk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function MachineFileGiven: Boolean;
begin
  Result := ExpandConstant('{param:MACHINEFILE|}') <> '';
end;

function MachineFileBuiltIn: Boolean;
begin
#ifdef MachineFile
  Result := True;
#else
  Result := False;
#endif
end;

function InitializeSetup: Boolean;
var
  Path: String;
begin
  Result := True;
  Path := ExpandConstant('{param:MACHINEFILE|}');
  if (Path <> '') and not FileExists(Path) then
  begin
    SuppressibleMsgBox('The machine file ' + Path + ' (/MACHINEFILE=) does not exist.', mbCriticalError, MB_OK, IDOK);
    Result := False;  { a silent install then ends with exit code 1, and the log says why }
  end;
end;
