@echo off
rem Launcher for the irfuse jar on Windows (bin\irfuse is the Unix one): sets the libtorch natives cache and
rem thread counts before the JVM starts (OMP_NUM_THREADS is read by libtorch at load time).
rem Build the Windows jar first: mvn -B -q package -DskipTests -Pwindows-x86_64
setlocal EnableExtensions EnableDelayedExpansion
set "HERE=%~dp0.."
if defined IRFUSE_JAR (set "JAR=%IRFUSE_JAR%") else (set "JAR=%HERE%\irfuse-cli\target\irfuse.jar")
if not exist "%JAR%" (
  echo irfuse: %JAR% not found; build it first with: mvn -B -q package -DskipTests -Pwindows-x86_64 1>&2
  exit /b 2
)
rem The natives (about 430 MB unpacked) live in a per-user cache; IRFUSE_CACHE overrides it.
if defined IRFUSE_CACHE (set "CACHE=%IRFUSE_CACHE%") else (set "CACHE=%LOCALAPPDATA%\irfuse")
if not defined ENGINE_CACHE_DIR set "ENGINE_CACHE_DIR=%CACHE%\djl"
set "THREADS="
set "PREV="
for %%A in (%*) do (
  set "ARG=%%~A"
  if "!PREV!"=="--threads" set "THREADS=%%~A"
  if "!ARG:~0,10!"=="--threads=" set "THREADS=!ARG:~10!"
  set "PREV=%%~A"
)
if not defined THREADS if defined IRFUSE_THREADS set "THREADS=%IRFUSE_THREADS%"
if not defined THREADS set "THREADS=%NUMBER_OF_PROCESSORS%"
set "OMP_NUM_THREADS=%THREADS%"
java %IRFUSE_JAVA_OPTS% -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=%THREADS% -Dai.djl.pytorch.num_interop_threads=1 -jar "%JAR%" %*
exit /b %ERRORLEVEL%
