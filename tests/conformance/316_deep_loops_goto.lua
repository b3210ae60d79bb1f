-- goto out of loops nested deeper than CPython's 20 blocks, closing a to-be-closed variable
local closed = {}
for i0 = 1, 1 do
 for i1 = 1, 1 do
  for i2 = 1, 1 do
   for i3 = 1, 1 do
    for i4 = 1, 1 do
     for i5 = 1, 1 do
      for i6 = 1, 1 do
       for i7 = 1, 1 do
        for i8 = 1, 1 do
         for i9 = 1, 1 do
          for i10 = 1, 1 do
           for i11 = 1, 1 do
            for i12 = 1, 1 do
             for i13 = 1, 1 do
              for i14 = 1, 1 do
               for i15 = 1, 1 do
                for i16 = 1, 1 do
                 for i17 = 1, 1 do
                  for i18 = 1, 1 do
                   for i19 = 1, 1 do
                    for i20 = 1, 1 do
                     for i21 = 1, 1 do
                      local r <close> = setmetatable({}, {__close = function() closed[#closed + 1] = "x" end})
                      goto out
                     end
                    end
                   end
                  end
                 end
                end
               end
              end
             end
            end
           end
          end
         end
        end
       end
      end
     end
    end
   end
  end
 end
end
::out::
print("after goto", #closed)
